/**
 * Convolution gradients for the tfjs `wasm` backend, computed as forward convolutions.
 *
 * Why: tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` kernel, so no convolution (conv1d is conv2d
 * underneath) can train on wasm, and its `Conv2DBackpropInput` is a slow scalar loop. Kernels cannot be added
 * inside the prebuilt wasm module, but a kernel registered for the 'wasm' backend may compose the backend's own
 * fast kernels. Both gradients of a convolution are themselves convolutions, so they run on the XNNPACK `Conv2D`
 * with a few cheap `Transpose` / `Reverse` / `PadV2` / `Reshape` / `Slice` calls around it:
 *
 * - filter gradient: dW[a, b, ci, co] = Σ_{n, i, j} xpad[n, a + i·sh, b + j·sw, ci] · dy[n, i, j, co]
 *   is conv2d(input = x as [ci, H, W, n], filter = dy as [oh, ow, n, co], stride 1, dilation = forward stride,
 *   explicit padding = forward padding) → [ci, ≥fh, ≥fw, co], cropped to fh×fw and transposed to [fh, fw, ci, co];
 * - input gradient: dx = conv2d(dy with (stride − 1) zeros between its pixels, padded by (k − 1 − pad),
 *   filter reversed in space with in/out channels swapped), stride 1.
 *
 * Supports NHWC, any stride, 'same' / 'valid' / explicit padding, any kernel size. Dilation is always 1 here:
 * tfjs-core refuses gradients of dilated convolutions before it reaches these kernels. NCHW is not supported
 * by the wasm forward `Conv2D` either, so it cannot occur in training on wasm; it raises a clear error.
 *
 * The kernels call other kernels' `kernelFunc`s directly (as the backends do internally), not `tf.*` ops, so
 * nothing is recorded on a gradient tape and intermediates are plain backend data freed with `disposeData`.
 */
import '@tensorflow/tfjs-backend-wasm'
import {
  backend_util,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  getKernel,
  PadV2,
  registerKernel,
  Reshape,
  Reverse,
  Slice,
  Transpose,
  unregisterKernel,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core'

const BACKEND = 'wasm'

type Pad4 = [[number, number], [number, number], [number, number], [number, number]]

/**
 * Runs wasm kernels and remembers every output, so a composition can free all intermediates at the end
 * (also when it throws) and hand back only its result.
 */
class Scratch {
  private readonly made: TensorInfo[] = []

  constructor(private readonly backend: KernelBackend) {}

  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = getKernel(kernelName, BACKEND)
    if (!kernel) throw new Error(`wasm-gradients: the wasm backend has no '${kernelName}' kernel`)
    const out = kernel.kernelFunc({ inputs, attrs, backend: this.backend })
    if (Array.isArray(out)) throw new Error(`wasm-gradients: '${kernelName}' returned several tensors`)
    this.made.push(out)
    return out
  }

  /**
   * Frees every intermediate except `keep`. Reshape outputs share their input's data with a reference count,
   * so freeing each TensorInfo once is balanced even when `keep` shares data with another intermediate.
   */
  disposeAllBut(keep?: TensorInfo): void {
    for (const t of this.made) if (t !== keep) this.backend.disposeData(t.dataId)
    this.made.length = 0
  }
}

/** Runs `body` with a scratch space; returns its result and frees everything else it made. */
function compose(backend: KernelBackend, body: (s: Scratch) => TensorInfo): TensorInfo {
  const scratch = new Scratch(backend)
  let result: TensorInfo | undefined
  try {
    result = body(scratch)
    return result
  } finally {
    scratch.disposeAllBut(result)
  }
}

function shape4(t: TensorInfo | number[], what: string): [number, number, number, number] {
  const s = Array.isArray(t) ? t : t.shape
  if (s.length !== 4) throw new Error(`wasm-gradients: ${what} must be rank 4, got shape [${s.join(', ')}]`)
  return s as [number, number, number, number]
}

function convInfoOf(
  kernel: string,
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: Conv2DBackpropFilterAttrs | Conv2DBackpropInputAttrs,
): backend_util.Conv2DInfo {
  const dataFormat = backend_util.convertConv2DDataFormat(attrs.dataFormat)
  if (dataFormat !== 'channelsLast') {
    throw new Error(`wasm-gradients: ${kernel} supports only dataFormat 'NHWC' (as the wasm Conv2D does)`)
  }
  return backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  )
}

/** A stride-1, dilation-`dilations` convolution with explicit padding on the wasm backend (XNNPACK). */
function conv(
  s: Scratch,
  x: TensorInfo,
  filter: TensorInfo,
  pad: Pad4,
  dilations: [number, number] = [1, 1],
): TensorInfo {
  return s.run(Conv2D, { x, filter }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations } as NamedAttrMap)
}

/** Crops a 4-D tensor to `size` starting at `begin`; returns it untouched if nothing is cut. */
function crop(s: Scratch, t: TensorInfo, begin: number[], size: number[]): TensorInfo {
  if (begin.every((b) => b === 0) && size.every((n, i) => n === t.shape[i])) return t
  return s.run(Slice, { x: t }, { begin, size })
}

/** Filter gradient: inputs { x: [n, H, W, ci], dy: [n, oh, ow, co] } → [fh, fw, ci, co]. */
export const conv2DBackpropFilterWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as unknown as Conv2DBackpropFilterAttrs
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo }
  const filterShape = shape4(a.filterShape, 'filterShape')
  const info = convInfoOf(Conv2DBackpropFilter, shape4(x, 'x'), filterShape, a)
  const [fh, fw, ci, co] = filterShape
  const { top, left } = info.padInfo
  const [, H, W] = info.inShape
  // Only pad the far side as much as the last filter tap needs: beyond that the output would just grow
  // past fh×fw. The forward padding may leave input rows unused (stride > 1, 'valid'); then the surplus
  // output rows are cropped instead.
  const bottom = Math.max(0, fh + (info.outHeight - 1) * info.strideHeight - H - top)
  const right = Math.max(0, fw + (info.outWidth - 1) * info.strideWidth - W - left)
  return compose(backend as KernelBackend, (s) => {
    const xT = s.run(Transpose, { x }, { perm: [3, 1, 2, 0] }) // [ci, H, W, n]: channels become the batch
    const dyT = s.run(Transpose, { x: dy }, { perm: [1, 2, 0, 3] }) // [oh, ow, n, co]: dy becomes the filter
    const pad: Pad4 = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ]
    const dw = conv(s, xT, dyT, pad, [info.strideHeight, info.strideWidth]) // [ci, ≥fh, ≥fw, co]
    const fitted = crop(s, dw, [0, 0, 0, 0], [ci, fh, fw, co])
    return s.run(Transpose, { x: fitted }, { perm: [1, 2, 0, 3] })
  })
}

/** Input gradient: inputs { dy: [n, oh, ow, co], filter: [fh, fw, ci, co] } → inputShape [n, H, W, ci]. */
export const conv2DBackpropInputWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as unknown as Conv2DBackpropInputAttrs
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo }
  const filterShape = shape4(filter, 'filter')
  const info = convInfoOf(Conv2DBackpropInput, shape4(a.inputShape, 'inputShape'), filterShape, a)
  const [fh, fw] = filterShape
  const { top, left } = info.padInfo
  const [n, H, W] = info.inShape
  const [sh, sw] = [info.strideHeight, info.strideWidth]
  const [oh, ow, co] = [info.outHeight, info.outWidth, info.outChannels]
  return compose(backend as KernelBackend, (s) => {
    // Spatially reversed filter with in/out channels swapped: [fh, fw, co, ci].
    const flipped = fh > 1 || fw > 1 ? s.run(Reverse, { x: filter }, { dims: [0, 1] }) : filter
    const wT = s.run(Transpose, { x: flipped }, { perm: [0, 1, 3, 2] })
    // A strided forward convolution skips input pixels; its gradient puts (stride − 1) zeros between dy's
    // pixels (one PadV2 on a 6-D view), then it is a stride-1 convolution like any other.
    let up = dy
    if (sh > 1 || sw > 1) {
      const dy6 = s.run(Reshape, { x: dy }, { shape: [n, oh, 1, ow, 1, co] })
      const padded = s.run(
        PadV2,
        { x: dy6 },
        {
          paddings: [
            [0, 0],
            [0, 0],
            [0, sh - 1],
            [0, 0],
            [0, sw - 1],
            [0, 0],
          ],
          constantValue: 0,
        },
      )
      up = s.run(Reshape, { x: padded }, { shape: [n, oh * sh, ow * sw, co] })
    }
    // dx[i] = Σ_k' up[i + top − (fh − 1) + k'] · w[fh − 1 − k']: pad before by fh − 1 − top and after so the
    // output has exactly H rows. A padding larger than the filter makes these negative: crop instead.
    const [lh, lw] = [oh * sh, ow * sw]
    const [before, after] = [fh - 1 - top, H + top - lh]
    const [beforeW, afterW] = [fw - 1 - left, W + left - lw]
    const cut = crop(
      s,
      up,
      [0, Math.max(0, -before), Math.max(0, -beforeW), 0],
      [
        n,
        lh - Math.max(0, -before) - Math.max(0, -after),
        lw - Math.max(0, -beforeW) - Math.max(0, -afterW),
        co,
      ],
    )
    const pad: Pad4 = [
      [0, 0],
      [Math.max(0, before), Math.max(0, after)],
      [Math.max(0, beforeW), Math.max(0, afterW)],
      [0, 0],
    ]
    return conv(s, cut, wT, pad)
  })
}

const kernels: KernelConfig[] = [
  { kernelName: Conv2DBackpropFilter, backendName: BACKEND, kernelFunc: conv2DBackpropFilterWasm },
  { kernelName: Conv2DBackpropInput, backendName: BACKEND, kernelFunc: conv2DBackpropInputWasm },
]

/**
 * Registers the two convolution gradient kernels for the 'wasm' backend, replacing the slow built-in
 * `Conv2DBackpropInput`. Idempotent. Safe before or after `tf.setBackend('wasm')`: kernels are looked up
 * at each call; this module imports tfjs-backend-wasm first so its own registrations cannot overwrite ours.
 */
export function registerWasmConvGradients(): void {
  for (const config of kernels) {
    const current = getKernel(config.kernelName, BACKEND)
    if (current?.kernelFunc === config.kernelFunc) continue
    if (current) unregisterKernel(config.kernelName, BACKEND)
    registerKernel(config)
  }
}
