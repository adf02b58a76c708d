/**
 * Per-sample cross-entropy of predicted probabilities, as TensorFlow.js ops (differentiable), and how the
 * training loop weights it.
 *
 * Probabilities are clipped to [ε, 1 − ε] with ε = 1e-7 (Keras' `epsilon()`), so a confident mistake costs
 * about 16 instead of infinity; the gradient is 0 where a prediction is clipped, as in Keras.
 *
 * The objective of one batch of n samples with weights w is Σ wᵢ·lossᵢ / n (Keras' "sum over batch size"
 * reduction with `sample_weight`). Dividing by n rather than by Σ w keeps the batch objective an unbiased
 * estimate of the whole training set's Σ wᵢ·lossᵢ / N even when the few heavily weighted positives of a
 * 1:200 data set make Σ w swing from batch to batch. The reported training loss is the weighted mean
 * Σ w·loss / Σ w over the epoch.
 */
import * as tf from '@tensorflow/tfjs-core'

export const LOSS_EPSILON = 1e-7

/** Binary cross-entropy per sample: `yTrue` [n] of 0/1, `probs` [n] or [n, 1] probabilities of class 1 → [n]. */
export function binaryCrossEntropy(yTrue: tf.Tensor, probs: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const p = tf.clipByValue(tf.reshape(probs, [-1]), LOSS_EPSILON, 1 - LOSS_EPSILON)
    const y = tf.reshape(yTrue, [-1])
    const ll = tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))))
    return tf.neg(ll) as tf.Tensor1D
  })
}

/** Cross-entropy per sample for k classes: `yTrue` [n] class indices 0..k-1, `probs` [n, k] → [n]. */
export function sparseCategoricalCrossEntropy(yTrue: tf.Tensor, probs: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const k = probs.shape[1]
    const p = tf.clipByValue(probs, LOSS_EPSILON, 1 - LOSS_EPSILON)
    const onehot = tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), k)
    return tf.neg(tf.sum(tf.mul(onehot, tf.log(p)), 1)) as tf.Tensor1D
  })
}

/** Per-sample loss of a model's output: binary when it has one column, k-class otherwise. */
export function perSampleLoss(yTrue: tf.Tensor, probs: tf.Tensor): tf.Tensor1D {
  const outputs = probs.shape.length === 1 ? 1 : probs.shape[probs.shape.length - 1]!
  return outputs === 1
    ? binaryCrossEntropy(yTrue, probs)
    : sparseCategoricalCrossEntropy(yTrue, probs as tf.Tensor2D)
}

/**
 * Σ wᵢ·lossᵢ (the weighted sum; weights 1 when `w` is undefined). The batch objective is this divided by the
 * batch size.
 */
export function weightedLossSum(yTrue: tf.Tensor, probs: tf.Tensor, w?: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const losses = perSampleLoss(yTrue, probs)
    return tf.sum(w ? tf.mul(losses, tf.reshape(w, [-1])) : losses) as tf.Scalar
  })
}
