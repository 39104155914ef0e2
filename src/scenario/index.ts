/**
 * The scenario pipeline's public API: parse and check scenario files, run them, save and resume.
 * See /work/shared/design ARCHITECTURE.md "Scenarios" and scenarios/README.md.
 */
export { parseScenario, validateScenario, MAX_BYTES, MAX_DEPTH, MAX_ALIASES } from './parse.ts';
export { formatProblem, formatPath, ScenarioResumeError, ScenarioRunError, type ScenarioProblem } from './problems.ts';
export { scenarioJsonSchema, PHASES, SCHEMA_VERSION, type Scenario, type Localized, type Phase } from './schema.ts';
export { startScenario, resumeScenario, TIMER_KIND, type ScenarioRun, type RunView, type SavedRun } from './runtime.ts';
export { runSolution, type SolutionOutcome } from './solution.ts';
export { GUARD_NAMES, ACTION_NAMES } from './vocabulary.ts';
export type { CallResult } from '../engine/index.ts';
