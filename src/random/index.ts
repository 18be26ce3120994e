/** Seeded random streams: hand-written xoroshiro128+ steps, per-replication streams, bounded integers, Exp(1). */
export * from "./xoroshiro128Plus";
export * from "./replicationStream";
export * from "./boundedIndex";
export * from "./exponentialZiggurat";
