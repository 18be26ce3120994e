/** Studies behind the Theorem 2 and Theorem 3 notebooks: drift over the state plane, exhaustive level maxima, closed forms. */
export * from "./theorem2DriftGrid";
export * from "./theorem3NoMigrationDrift";
export * from "./theorem3CrossingTotal";
export * from "./theorem3LevelMaximum";
export * from "./theorem2VerdictStudy";
