import { requireNumber } from "../../model/parameterError";

/**
 * The relaxation time 1/(1 - sqrt(lambda))^2 of an M/M/1 queue with arrival rate lambda and service rate 1,
 * in time units: (1 - sqrt(lambda))^2 is the gap between 0 and the edge of the continuous spectrum of the
 * queue's generator, so the law of the queue approaches stationarity like exp(-t (1 - sqrt(lambda))^2) up to a
 * power-law factor (Morse 1955; Kijima, Markov Processes for Stochastic Modeling, 1997, Sec. 5.7). It sizes
 * simulation warm-ups by the system without sharing at the same lambda (n such queues). A sharing policy can
 * relax more slowly (the mean-field relaxation time of MBOUNCE(2,10), K = 2, at lambda = 0.9 is 609 time
 * units against 380 here; meanFieldRelaxationTime). Cost O(1).
 *
 * @param lambda the arrival rate, finite and > 0 (ParameterError otherwise)
 * @returns the relaxation time in time units; Infinity for lambda >= 1 (no stationary law)
 * @example
 * mm1RelaxationTime(0.5)  // => 11.656854249492383
 * mm1RelaxationTime(0.9)  // => 379.73665961010227
 * mm1RelaxationTime(0.95) // => 1559.74354758471
 * mm1RelaxationTime(1)    // => Infinity
 */
export function mm1RelaxationTime(lambda: number): number {
  requireNumber("arrivalRate (lambda)", lambda, 0, Infinity);
  return lambda < 1 ? 1 / (1 - Math.sqrt(lambda)) ** 2 : Infinity;
}
