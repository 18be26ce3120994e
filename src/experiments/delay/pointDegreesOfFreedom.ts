import { SIMULATION_BATCHES } from "../../simulate/summarizeSimulation";
import type { SimulationPoint } from "../simulationPoint";

/**
 * The degrees of freedom of a simulated point's Student-t intervals: replications - 1 with two or more
 * independent replications, else SIMULATION_BATCHES - 1 (batch means of one replication; see
 * summarizeSimulation). Cost O(1).
 *
 * @param point a simulated point (only `replications` is read)
 * @returns a positive integer
 * @example
 * pointDegreesOfFreedom({ replications: 16 } as SimulationPoint) // => 15
 * pointDegreesOfFreedom({ replications: 1 } as SimulationPoint)  // => 19
 */
export function pointDegreesOfFreedom(point: Pick<SimulationPoint, "replications">): number {
  return point.replications >= 2 ? point.replications - 1 : SIMULATION_BATCHES - 1;
}
