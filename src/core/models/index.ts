/**
 * The models SeqLab trains and compares: their specs (zod, defaults = the seed recipes), the builders of the
 * TensorFlow.js models, the motif-scan baseline, one predictor interface for all, and weights as plain arrays.
 * Training lives in src/core/training.
 */
export {
  BAD_PARAM,
  badParam,
  CnnSpec,
  LogregSpec,
  MlpSpec,
  ModelSpec,
  NeuralModelSpec,
  parseModelSpec,
  parseNeuralModelSpec,
  PwmSpec,
  type ModelKind,
  type ModelSpecInput,
  type NeuralModelSpecInput,
} from './specs'
export { buildModel, type BuildOptions } from './build'
export { batchCount, layersPredictor, modelShapes, sizeOf, type Predictor } from './predictor'
export { createPwmPredictor, UNSCORABLE, type PwmOptions, type PwmPredictor } from './pwm'
export {
  checkWeightsMatch,
  getWeights,
  packWeights,
  setWeights,
  unpackWeights,
  type NamedWeight,
  type NamedWeights,
  type PackedWeights,
} from './weights'
