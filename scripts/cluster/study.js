// The study of `npm run test:cluster`, and an example of a study module for `migration-penalties study plan`:
// its default export is what runStudy takes. ABOUNCE(2, 10), n = 100 queues, K = 2, over four arrival rates
// below the stability threshold (about 0.78), 1e6 events per replication, two replications per cell.
const { abounce, studyGrid } = require("migration-penalties");

const cells = studyGrid({ lambda: [0.6, 0.7, 0.75, 0.77] }, ({ lambda }) => ({
  queues: 100,
  arrivalRate: lambda,
  migrationPenalty: 2,
  policy: abounce(2, 10),
}));

module.exports = {
  name: "cluster-abounce-lambda",
  cells,
  simulation: { events: 1e6, replications: 2 },
  seed: 2024,
};
