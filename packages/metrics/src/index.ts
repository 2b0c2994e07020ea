export { editDistance } from './edit-distance.js';
export { MetricError } from './metric-error.js';
export {
  sequenceErrorRate,
  tokenErrorRate,
  characterErrorRate,
  wordErrorRate,
  type ErrorRate,
} from './error-rate.js';
export { exactMatch, type ExactMatch } from './exact-match.js';
export { tokenize13a } from './tokenize-13a.js';
export { corpusBleu, type BleuOptions, type BleuScore, type BleuSmoothing, type BleuTokenize } from './bleu.js';
export { corpusChrF, type ChrFOptions, type ChrFScore } from './chrf.js';
export {
  scoreGenerations,
  type GenerationsToScore,
  type GenerationScores,
} from './score-generations.js';
export { g2pScores, phonemesOf, type G2pScoreOptions, type G2pScores } from './g2p-scores.js';
