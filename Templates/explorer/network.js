// The explorer's computation, apart from the page: any chain network as the report's engine runs
// it (Sources/Network: Network+Forward, Network+Backward), from a description and a flat block of
// parameters. The page inlines this script (it then defines globalThis.ReportNetwork); Node's
// test runner loads it with require() (Tests/ExplorerTests/network.test.js).
//
// A description (what ExplorerPage embeds as `network`):
//   { imageHeight, imageWidth, classes, normalization: { mean, std } | null, parameterCount,
//     layers: [ { kind, name, modelName?, outputShape, … } ],          // in chain order
//     convolutionalLayers: [ { name: 'conv1', modelName?, layer, outputLayer, maps, outputShape } ] }
// with each layer's geometry by kind:
//   convolution   inChannels, outChannels, kernel, stride, padding, inputHeight, inputWidth,
//                 outputHeight, outputWidth, offset (weights (Cout, Cin, K, K) at offset, bias after)
//   maxPool, averagePool   channels, kernel, stride, inputHeight, inputWidth, outputHeight, outputWidth
//   linear        inFeatures, outFeatures, offset (weights (out, in) at offset, bias after)
//   relu, flatten, logSoftmax   nothing more
// Maps are (C, H, W) row-major, one image at a time; after flatten a vector in the same order.
'use strict';
(function (root, factory) {
  const api = factory();
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.ReportNetwork = api;
}(typeof globalThis !== 'undefined' ? globalThis : this, () => {

const RULES = ['gradient', 'deconvnet', 'guided'];
const MODES = ['whole-map', 'strongest'];
const KINDS = ['convolution', 'relu', 'maxPool', 'averagePool', 'flatten', 'linear', 'logSoftmax'];

/** How a rule passes one signal value back through a ReLU whose forward output there was `f`
 *  (BackwardRule.pass): gradient where the ReLU was open, deconvnet whatever is positive, guided both. */
const PASS = {
  gradient: (s, f) => (f > 0 ? s : 0),
  deconvnet: (s, f) => (s > 0 ? s : 0),
  guided: (s, f) => (f > 0 && s > 0 ? s : 0),
};

const size = (shape) => shape.reduce((a, b) => a * b, 1);

// ------------------------------------------------------------------ forward, one layer each

/** The output rows oy (or columns) in [first, end) whose tap `k` falls on the input: 0 ≤ o · S + k − P < size. */
function taps(k, stride, padding, size, outputs) {
  const first = Math.max(0, Math.ceil((padding - k) / stride));
  const end = Math.min(outputs, Math.floor((size - 1 + padding - k) / stride) + 1);
  return [first, Math.max(first, end)];
}

/** Convolution of `x` (Cin, H, W) with the layer's weights and bias: (Cout, Ho, Wo). Each filter
 *  tap adds its weight times the input it sees to a whole row of outputs at a time (the taps on
 *  the zero padding add nothing), in doubles; each output is then rounded once. */
function convolve(x, layer, p, Float = Float32Array) {
  const { inChannels: cin, outChannels: cout, kernel: k, stride: s, padding: pad,
    inputHeight: h, inputWidth: w, outputHeight: ho, outputWidth: wo, offset } = layer;
  const bias = offset + cout * cin * k * k, plane = ho * wo;
  const out = new Float(cout * plane), sums = new Float64Array(plane);
  const rows = Array.from({ length: k }, (_, ky) => taps(ky, s, pad, h, ho));
  const columns = Array.from({ length: k }, (_, kx) => taps(kx, s, pad, w, wo));
  for (let o = 0; o < cout; o++) {
    sums.fill(p[bias + o]);
    for (let c = 0; c < cin; c++) {
      for (let ky = 0; ky < k; ky++) {
        const [oy0, oy1] = rows[ky];
        for (let kx = 0; kx < k; kx++) {
          const weight = p[offset + ((o * cin + c) * k + ky) * k + kx];
          if (weight === 0) continue;
          const [ox0, ox1] = columns[kx];
          for (let oy = oy0; oy < oy1; oy++) {
            const input = (c * h + oy * s + ky - pad) * w + kx - pad, output = oy * wo;
            if (s === 1) {
              for (let ox = ox0; ox < ox1; ox++) sums[output + ox] += weight * x[input + ox];
            } else {
              for (let ox = ox0; ox < ox1; ox++) sums[output + ox] += weight * x[input + ox * s];
            }
          }
        }
      }
    }
    out.set(sums, o * plane);
  }
  return out;
}

function relu(x, Float = Float32Array) {
  const out = new Float(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : 0;
  return out;
}

/** Each K × K window's maximum, every S pixels, and its switch: where in its input plane
 *  (y · W + x) it was. The window is read row by row and a later value wins only when strictly
 *  greater, so ties go to the first maximum, as in the engine (Pooling.maxForward). */
function maxPool(x, layer, Float = Float32Array) {
  const { channels, kernel: k, stride: s, inputHeight: h, inputWidth: w, outputHeight: ho, outputWidth: wo } = layer;
  const out = new Float(channels * ho * wo), switches = new Int32Array(out.length);
  for (let c = 0; c < channels; c++) {
    const plane = c * h * w;
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        let at = oy * s * w + ox * s, best = x[plane + at];
        for (let ky = 0; ky < k; ky++) {
          for (let kx = 0; kx < k; kx++) {
            const i = (oy * s + ky) * w + ox * s + kx;
            if (x[plane + i] > best) { best = x[plane + i]; at = i; }
          }
        }
        const o = (c * ho + oy) * wo + ox;
        out[o] = best;
        switches[o] = at;
      }
    }
  }
  return { output: out, switches };
}

/** Each window's mean: its values summed row by row, divided by K · K. */
function averagePool(x, layer, Float = Float32Array) {
  const { channels, kernel: k, stride: s, inputHeight: h, inputWidth: w, outputHeight: ho, outputWidth: wo } = layer;
  const out = new Float(channels * ho * wo), area = k * k;
  for (let c = 0; c < channels; c++) {
    const plane = c * h * w;
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        let sum = 0;
        for (let ky = 0; ky < k; ky++) {
          const row = plane + (oy * s + ky) * w + ox * s;
          for (let kx = 0; kx < k; kx++) sum += x[row + kx];
        }
        out[(c * ho + oy) * wo + ox] = sum / area;
      }
    }
  }
  return out;
}

/** y = W · x + b, with W (out, in). */
function linear(x, layer, p, Float = Float32Array) {
  const { inFeatures: n, outFeatures: m, offset } = layer;
  const out = new Float(m), bias = offset + m * n;
  for (let o = 0; o < m; o++) {
    let sum = p[bias + o];
    const row = offset + o * n;
    for (let i = 0; i < n; i++) sum += p[row + i] * x[i];
    out[o] = sum;
  }
  return out;
}

/** log softmax, stable by subtracting the maximum, as LogSoftmax.forward. */
function logSoftmax(x, Float = Float32Array) {
  let m = x[0];
  for (let j = 1; j < x.length; j++) m = Math.max(m, x[j]);
  let sum = 0;
  for (let j = 0; j < x.length; j++) sum += Math.exp(x[j] - m);
  const logSum = m + Math.log(sum), out = new Float(x.length);
  for (let j = 0; j < x.length; j++) out[j] = x[j] - logSum;
  return out;
}

// ------------------------------------------------------------------ backward, one layer each (no bias anywhere)

/** A zeroed Float64Array of `n` doubles for sums, the same one each time for each size: a
 *  projection's large accumulators are not reallocated map after map. Its values are copied out
 *  before it is used again. */
const scratches = new Map();
function scratch(n) {
  let buffer = scratches.get(n);
  if (buffer === undefined) scratches.set(n, buffer = new Float64Array(n));
  else buffer.fill(0);
  return buffer;
}

/** The transposed convolution of a signal (Cout, Ho, Wo) into (Cin, H, W): each filter tap adds
 *  its weight times the signal to the inputs it saw (at the stride, within the padding). The same
 *  sums as the engine's convolution of the spread, padded signal with the flipped filters,
 *  channels swapped; written as a scatter that skips the signal's zeros, so that the zeros of a
 *  seed, of unpooling and of the ReLUs cost nothing: a plane's non-zero values are gathered
 *  first, and each tap goes over them in one long loop; a dense plane goes row by row. Rows and
 *  columns the forward stride never reached stay 0. Accumulates in doubles. */
function convolveTransposed(signal, layer, p, Float = Float32Array, out = new Float(layer.inChannels * layer.inputHeight * layer.inputWidth)) {
  const { inChannels: cin, outChannels: cout, kernel: k, stride: s, padding: pad,
    inputHeight: h, inputWidth: w, outputHeight: ho, outputWidth: wo, offset } = layer;
  const sums = scratch(cin * h * w), live = new Uint8Array(ho), plane = ho * wo;
  const values = new Float64Array(plane), at = new Int32Array(plane), ys = new Int32Array(plane), xs = new Int32Array(plane);
  const rows = Array.from({ length: k }, (_, ky) => taps(ky, s, pad, h, ho));
  const columns = Array.from({ length: k }, (_, kx) => taps(kx, s, pad, w, wo));
  for (let o = 0; o < cout; o++) {
    const start = o * plane;
    let n = 0, liveRows = 0;
    for (let oy = 0; oy < ho; oy++) {
      const first = n;
      for (let ox = 0; ox < wo; ox++) {
        const v = signal[start + oy * wo + ox];
        if (v === 0) continue;
        values[n] = v;
        ys[n] = oy * s - pad;
        xs[n] = ox * s - pad;
        at[n] = ys[n] * w + xs[n];
        n++;
      }
      live[oy] = n > first ? 1 : 0;
      liveRows += live[oy];
    }
    if (n === 0) continue;
    if (2 * n < liveRows * wo) {
      for (let c = 0; c < cin; c++) {
        for (let ky = 0; ky < k; ky++) {
          for (let kx = 0; kx < k; kx++) {
            const weight = p[offset + ((o * cin + c) * k + ky) * k + kx];
            if (weight === 0) continue;
            const base = c * h * w + ky * w + kx;
            if (pad === 0) {   // every tap lands on the input
              for (let j = 0; j < n; j++) sums[base + at[j]] += weight * values[j];
            } else {
              for (let j = 0; j < n; j++) {
                const y = ys[j] + ky, x = xs[j] + kx;
                if (y >= 0 && y < h && x >= 0 && x < w) sums[base + at[j]] += weight * values[j];
              }
            }
          }
        }
      }
      continue;
    }
    for (let c = 0; c < cin; c++) {
      for (let ky = 0; ky < k; ky++) {
        const [oy0, oy1] = rows[ky];
        for (let kx = 0; kx < k; kx++) {
          const weight = p[offset + ((o * cin + c) * k + ky) * k + kx];
          if (weight === 0) continue;
          const [ox0, ox1] = columns[kx];
          for (let oy = oy0; oy < oy1; oy++) {
            if (!live[oy]) continue;
            const input = (c * h + oy * s + ky - pad) * w + kx - pad, output = start + oy * wo;
            if (s === 1) {
              for (let ox = ox0; ox < ox1; ox++) sums[input + ox] += weight * signal[output + ox];
            } else {
              for (let ox = ox0; ox < ox1; ox++) sums[input + ox * s] += weight * signal[output + ox];
            }
          }
        }
      }
    }
  }
  out.set(sums);
  return out;
}

/** Each pooled value back to where its switch says the maximum was, 0 elsewhere, summed (in the
 *  signal's precision, as the engine) where overlapping windows chose the same place. */
function unpool(signal, switches, layer, Float = Float32Array, out = new Float(layer.channels * layer.inputHeight * layer.inputWidth)) {
  const { channels, inputHeight: h, inputWidth: w, outputHeight: ho, outputWidth: wo } = layer;
  const inPlane = h * w, outPlane = ho * wo;
  for (let c = 0; c < channels; c++) {
    for (let o = 0; o < outPlane; o++) {
      const v = signal[c * outPlane + o];
      if (v !== 0) out[c * inPlane + switches[c * outPlane + o]] += v;
    }
  }
  return out;
}

/** Average pooling transposed: each value / K² to every place of its window, summed where
 *  windows overlap, in the signal's precision, as the engine. */
function averageUnpool(signal, layer, Float = Float32Array, out = new Float(layer.channels * layer.inputHeight * layer.inputWidth)) {
  const { channels, kernel: k, stride: s, inputHeight: h, inputWidth: w, outputHeight: ho, outputWidth: wo } = layer;
  const area = k * k;
  for (let c = 0; c < channels; c++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        const v = signal[(c * ho + oy) * wo + ox];
        if (v === 0) continue;
        const share = Float === Float64Array ? v / area : Math.fround(v / area);
        for (let ky = 0; ky < k; ky++) {
          const row = (c * h + oy * s + ky) * w + ox * s;
          for (let kx = 0; kx < k; kx++) out[row + kx] += share;
        }
      }
    }
  }
  return out;
}

/** dX = dY · W, with W (out, in). */
function linearTransposed(signal, layer, p, Float = Float32Array) {
  const { inFeatures: n, outFeatures: m, offset } = layer;
  const sums = scratch(n);
  for (let o = 0; o < m; o++) {
    const v = signal[o];
    if (v === 0) continue;
    const row = offset + o * n;
    for (let i = 0; i < n; i++) sums[i] += v * p[row + i];
  }
  return Float === Float64Array ? Float64Array.from(sums) : new Float32Array(sums);
}

/** dx = dy − softmax · Σ dy, from the forward log-probabilities. */
function logSoftmaxTransposed(signal, logProbabilities, Float = Float32Array) {
  let sum = 0;
  for (let j = 0; j < signal.length; j++) sum += signal[j];
  const out = new Float(signal.length);
  for (let j = 0; j < signal.length; j++) out[j] = signal[j] - Math.exp(logProbabilities[j]) * sum;
  return out;
}

/** A ReLU passed by `rule`, with the forward ReLU's output as the mask. */
function reluByRule(signal, forward, rule, Float = Float32Array, out = new Float(signal.length)) {
  const n = signal.length;
  // One loop per rule, each PASS[rule] written out, so that no call is left in the loop.
  if (rule === 'gradient') {
    for (let i = 0; i < n; i++) out[i] = forward[i] > 0 ? signal[i] : 0;
  } else if (rule === 'deconvnet') {
    for (let i = 0; i < n; i++) out[i] = signal[i] > 0 ? signal[i] : 0;
  } else {
    check(rule === 'guided', `rule must be 'gradient', 'deconvnet' or 'guided', not ${rule}`);
    for (let i = 0; i < n; i++) out[i] = forward[i] > 0 && signal[i] > 0 ? signal[i] : 0;
  }
  return out;
}

// ------------------------------------------------------------------ helpers of the class-level attributions

/** The methods, by the names attributions.safetensors gives them (issue 25). */
const ATTRIBUTIONS = ['gradient', 'gradient_x_input', 'integrated_gradients', 'smoothgrad', 'gradcam', 'guided_gradcam',
  'guided_backprop', 'deconvnet', 'occlusion'];
/** The issue's settings: IG's steps; SmoothGrad's copies, noise (σ in pixels) and seed; occlusion's patch and stride. */
const ATTRIBUTION_OPTIONS = { steps: 64, samples: 32, sigma: 0.15, seed: 0, patch: 7, stride: 1 };

/** SplitMix64 (Sources/Network/SplitMix64.swift) on two 32-bit halves, as JavaScript has no fast
 *  64-bit integers; `seed` an integer in [0, 2^53]. next() gives each output's top 53 bits as a
 *  double in [0, 1); nextHalves() the output itself as [high, low]. */
function splitMix64(seed) {
  check(Number.isInteger(seed) && seed >= 0 && seed <= 2 ** 53, `the seed must be an integer in [0, 2^53], not ${seed}`);
  let hi = Math.floor(seed / 2 ** 32) >>> 0, lo = seed >>> 0;
  /** (ah, al) · (bh, bl) mod 2^64, from 16-bit pieces whose products are exact in doubles. */
  const multiply = (ah, al, bh, bl) => {
    const a0 = al & 0xffff, a1 = al >>> 16, b0 = bl & 0xffff, b1 = bl >>> 16;
    const middle = a1 * b0 + a0 * b1, low = a0 * b0 + (middle % 65536) * 65536;
    const high = a1 * b1 + Math.floor(middle / 65536) + Math.floor(low / 2 ** 32) + Math.imul(ah, bl) + Math.imul(al, bh);
    return [high >>> 0, low >>> 0];
  };
  const nextHalves = () => {
    const sum = lo + 0x7F4A7C15;   // state += 0x9E3779B97F4A7C15
    lo = sum >>> 0;
    hi = (hi + 0x9E3779B9 + (sum >= 2 ** 32 ? 1 : 0)) >>> 0;
    let zh = hi, zl = lo;
    [zh, zl] = multiply((zh ^ (zh >>> 30)) >>> 0, (zl ^ ((zl >>> 30) | (zh << 2))) >>> 0, 0xBF58476D, 0x1CE4E5B9);
    [zh, zl] = multiply((zh ^ (zh >>> 27)) >>> 0, (zl ^ ((zl >>> 27) | (zh << 5))) >>> 0, 0x94D049BB, 0x133111EB);
    return [(zh ^ (zh >>> 31)) >>> 0, (zl ^ ((zl >>> 31) | (zh << 1))) >>> 0];
  };
  return { nextHalves, next: () => { const [h, l] = nextHalves(); return (h * 2 ** 21 + (l >>> 11)) / 2 ** 53; } };
}

/** `count` standard normal values from SplitMix64(seed) by Box–Muller: each pair of outputs u, v
 *  gives √(−2 ln(1 − u)) · cos(2πv) and then · sin(2πv). The page's own noise for SmoothGrad. */
function gaussianNoise(seed, count) {
  const random = splitMix64(seed), out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - random.next())), angle = 2 * Math.PI * random.next();
    out[i] = r * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = r * Math.sin(angle);
  }
  return out;
}

/** A (h, w) map resized to (H, W) bilinearly with half-pixel centres, as PyTorch's
 *  F.interpolate(mode='bilinear', align_corners=False) (Captum's LayerAttribution.interpolate):
 *  the source of output row y is (y + 0.5) · h / H − 0.5, clamped at 0, between rows ⌊·⌋ and the
 *  next (the last row repeats). */
function resizeBilinear(values, h, w, H, W, Float = Float32Array) {
  const axis = (n, N) => Array.from({ length: N }, (_, o) => {
    const source = Math.max(0, (o + 0.5) * (n / N) - 0.5), i0 = Math.min(Math.floor(source), n - 1);
    return [i0, i0 < n - 1 ? i0 + 1 : i0, source - i0];
  });
  const rows = axis(h, H), columns = axis(w, W), out = new Float(H * W);
  for (let y = 0; y < H; y++) {
    const [y0, y1, ty] = rows[y];
    for (let x = 0; x < W; x++) {
      const [x0, x1, tx] = columns[x];
      const top = (1 - tx) * values[y0 * w + x0] + tx * values[y0 * w + x1];
      const bottom = (1 - tx) * values[y1 * w + x0] + tx * values[y1 * w + x1];
      out[y * W + x] = (1 - ty) * top + ty * bottom;
    }
  }
  return out;
}

// ------------------------------------------------------------------ a network

function check(condition, message) {
  if (!condition) throw new RangeError(message);
}

/** Checks that a description chains (every shape follows from the one before) and that the
 *  parameters fit; returns nothing, throws a RangeError naming the layer otherwise. */
function validate(d, parameters) {
  check(Number.isInteger(d.imageHeight) && Number.isInteger(d.imageWidth), 'the description needs imageHeight and imageWidth');
  check(Array.isArray(d.layers) && d.layers.length > 0, 'the description needs layers');
  let shape = [1, d.imageHeight, d.imageWidth], count = 0;
  d.layers.forEach((layer, i) => {
    const where = `layer ${i + 1} (${layer.kind})`;
    check(KINDS.includes(layer.kind), `layer ${i + 1} is of unknown kind ${layer.kind}`);
    switch (layer.kind) {
      case 'convolution':
        check(shape.length === 3 && shape[0] === layer.inChannels && shape[1] === layer.inputHeight && shape[2] === layer.inputWidth,
          `${where}: its input is (${shape}), not (${layer.inChannels},${layer.inputHeight},${layer.inputWidth})`);
        check(layer.outputHeight === Math.floor((layer.inputHeight + 2 * layer.padding - layer.kernel) / layer.stride) + 1 &&
          layer.outputWidth === Math.floor((layer.inputWidth + 2 * layer.padding - layer.kernel) / layer.stride) + 1, `${where}: wrong output size`);
        check(layer.offset === count, `${where}: its parameters start at ${layer.offset}, not ${count}`);
        count += layer.outChannels * (layer.inChannels * layer.kernel * layer.kernel + 1);
        shape = [layer.outChannels, layer.outputHeight, layer.outputWidth];
        break;
      case 'maxPool': case 'averagePool':
        check(shape.length === 3 && shape[0] === layer.channels && shape[1] === layer.inputHeight && shape[2] === layer.inputWidth,
          `${where}: its input is (${shape}), not (${layer.channels},${layer.inputHeight},${layer.inputWidth})`);
        check(layer.outputHeight === Math.floor((layer.inputHeight - layer.kernel) / layer.stride) + 1 &&
          layer.outputWidth === Math.floor((layer.inputWidth - layer.kernel) / layer.stride) + 1, `${where}: wrong output size`);
        shape = [layer.channels, layer.outputHeight, layer.outputWidth];
        break;
      case 'flatten':
        check(shape.length === 3, `${where}: its input is already a vector`);
        shape = [size(shape)];
        break;
      case 'linear':
        check(shape.length === 1 && shape[0] === layer.inFeatures, `${where}: its input is (${shape}), not (${layer.inFeatures})`);
        check(layer.offset === count, `${where}: its parameters start at ${layer.offset}, not ${count}`);
        count += layer.outFeatures * (layer.inFeatures + 1);
        shape = [layer.outFeatures];
        break;
      case 'logSoftmax':
        check(i === d.layers.length - 1 && shape.length === 1, `${where}: a log-softmax is the last layer, over a vector`);
        break;
      default: break;
    }
    if (layer.outputShape) check(String(layer.outputShape) === String(shape), `${where}: its output is (${shape}), not (${layer.outputShape})`);
  });
  check(d.layers[d.layers.length - 1].kind === 'logSoftmax', 'the last layer must be a log-softmax');
  check(shape[0] === d.classes, `the network ends in ${shape[0]} classes, not ${d.classes}`);
  check(parameters.length === count, `the layers need ${count} parameters, but ${parameters.length} were given`);
  for (const conv of d.convolutionalLayers) {
    const layer = d.layers[conv.layer];
    check(layer && layer.kind === 'convolution' && conv.maps === layer.outChannels && conv.outputLayer >= conv.layer &&
      conv.outputLayer < d.layers.length, `${conv.name}: not a convolution's block`);
  }
}

/** The network of `description` over `parameters` (a Float32Array, or any array of numbers).
 *  `options.float64`: keep every array in doubles (for finite-difference tests) rather than in
 *  floats as the engine does. */
function create(description, parameters, options = {}) {
  validate(description, parameters);
  const d = description, layers = d.layers, Float = options.float64 ? Float64Array : Float32Array;
  const p = new Float(parameters);
  const inputCount = d.imageHeight * d.imageWidth;
  const byName = new Map(d.convolutionalLayers.map((c) => [c.name, c]));

  /** A conv layer by name ('conv1') or by position (0). */
  function conv(which) {
    if (typeof which === 'object' && which !== null && d.convolutionalLayers.includes(which)) return which;
    const c = typeof which === 'number' ? d.convolutionalLayers[which] : byName.get(which);
    check(c !== undefined, `layer must be one of ${d.convolutionalLayers.map((l) => `'${l.name}'`).join(', ')}, not ${which}`);
    return c;
  }

  /** The network on `pixels` (inputCount values, byte / 255), normalised as it says: every
   *  layer's output (so every ReLU's and every block's), every max-pool's switches, the
   *  log-probabilities and the probabilities. */
  function forward(pixels) {
    return forwardInput(normalize(pixels));
  }

  /** `pixels` (byte / 255) in the network's input units: (x − mean) / std as the engine computes
   *  it, in floats, each operation rounded; a copy as they are without a normalisation. */
  function normalize(pixels) {
    check(pixels != null && pixels.length === inputCount, `pixels must be ${inputCount} values, row-major ${d.imageHeight} × ${d.imageWidth}`);
    const x = new Float(pixels);
    if (d.normalization) {
      const round = Float === Float64Array ? (v) => v : Math.fround;
      const mean = round(d.normalization.mean), std = round(d.normalization.std);
      for (let i = 0; i < x.length; i++) x[i] = round(x[i] - mean) / std;
    }
    return x;
  }

  /** The forward pass of an input already in the network's units (what `forward` returns). */
  function forwardInput(input) {
    check(input != null && input.length === inputCount, `the input must be ${inputCount} values`);
    if (!(input instanceof Float)) input = new Float(input);
    let x = input;
    const outputs = [], switches = [];
    layers.forEach((layer) => {
      let s = null;
      switch (layer.kind) {
        case 'convolution': x = convolve(x, layer, p, Float); break;
        case 'relu': x = relu(x, Float); break;
        case 'maxPool': ({ output: x, switches: s } = maxPool(x, layer, Float)); break;
        case 'averagePool': x = averagePool(x, layer, Float); break;
        case 'flatten': break;
        case 'linear': x = linear(x, layer, p, Float); break;
        case 'logSoftmax': x = logSoftmax(x, Float); break;
        default: throw new RangeError(`unknown layer ${layer.kind}`);
      }
      outputs.push(x);
      switches.push(s);
    });
    const logProbabilities = outputs[outputs.length - 1];
    return { input, outputs, switches, logProbabilities, probabilities: Float.from(logProbabilities, Math.exp) };
  }

  const buffers = new Map();
  /** A zeroed array of `n` values in the network's precision, one of two (`slot`) kept per size. */
  function buffer(n, slot) {
    const key = 2 * n + slot;
    let array = buffers.get(key);
    if (array === undefined) buffers.set(key, array = new Float(n));
    else array.fill(0);
    return array;
  }

  /** Sends `signal` (shaped as layer `top`'s output) down through layers top, top − 1, …,
   *  bottom of the pass `pass` (Network.backward): log-softmax dy − softmax · Σ dy; linear dY · W;
   *  ReLU by `rule`, its forward output the mask; flatten back to maps; max-pool to the switches,
   *  summed where windows overlap; average pool value / K² over its window; convolution
   *  transposed. No bias anywhere. Returns the signal at layer bottom's input: with bottom 0, an
   *  image in the network's input units. With 'gradient' it is the gradient of ⟨signal, output of
   *  top⟩ with respect to that input. */
  function backward(pass, signal, top, rule = 'gradient', bottom = 0) {
    check(RULES.includes(rule), `rule must be 'gradient', 'deconvnet' or 'guided', not ${rule}`);
    check(Number.isInteger(top) && top >= 0 && top < layers.length && bottom >= 0 && bottom <= top, `no backward pass from ${top} to ${bottom}`);
    check(signal.length === pass.outputs[top].length, `the signal must have ${pass.outputs[top].length} values, as layer ${top}'s output`);
    // Between layers the signal lives in two buffers of each size, used in turn, zeroed before
    // each use: a projection after another allocates nothing large. The result is a copy.
    let s = signal, slot = 0;
    const next = (n) => { slot ^= 1; return buffer(n, slot); };
    for (let i = top; i >= bottom; i--) {
      const layer = layers[i];
      switch (layer.kind) {
        case 'logSoftmax': s = logSoftmaxTransposed(s, pass.outputs[i], Float); break;
        case 'linear': s = linearTransposed(s, layer, p, Float); break;
        case 'relu': s = reluByRule(s, pass.outputs[i], rule, Float, next(s.length)); break;
        case 'flatten': break;
        case 'maxPool': s = unpool(s, pass.switches[i], layer, Float, next(layer.channels * layer.inputHeight * layer.inputWidth)); break;
        case 'averagePool': s = averageUnpool(s, layer, Float, next(layer.channels * layer.inputHeight * layer.inputWidth)); break;
        case 'convolution': s = convolveTransposed(s, layer, p, Float, next(layer.inChannels * layer.inputHeight * layer.inputWidth)); break;
        default: throw new RangeError(`unknown layer ${layer.kind}`);
      }
    }
    return new Float(s);
  }

  /** The seed of a projection (Deconvnet.keep): the block's output with every map but `map`
   *  zeroed; in 'strongest' mode only the map's first largest value (row-major) survives. */
  function seed(pass, layer, map, mode = 'whole-map') {
    const c = conv(layer);
    check(Number.isInteger(map) && map >= 0 && map < c.maps, `${c.name} has maps 0–${c.maps - 1}, not ${map}`);
    check(MODES.includes(mode), `mode must be 'whole-map' or 'strongest', not ${mode}`);
    const output = pass.outputs[c.outputLayer], plane = output.length / c.maps, start = map * plane;
    const kept = new Float(output.length);
    if (mode === 'whole-map') {
      kept.set(output.subarray(start, start + plane), start);
    } else {
      let best = start;
      for (let i = start + 1; i < start + plane; i++) if (output[i] > output[best]) best = i;
      kept[best] = output[best];
    }
    return kept;
  }

  /** Map `map` of conv layer `layer` projected to the input under `rule` and `mode`. */
  function project(pass, layer, map, rule = 'deconvnet', mode = 'whole-map') {
    const c = conv(layer);
    return backward(pass, seed(pass, c, map, mode), c.outputLayer, rule);
  }

  /** Every map of `layer` projected: one array per map. */
  function projectAll(pass, layer, rule = 'deconvnet', mode = 'whole-map') {
    const c = conv(layer);
    return Array.from({ length: c.maps }, (_, map) => project(pass, c, map, rule, mode));
  }

  /** The gradient of log p_c with respect to the network's input (in its input units). */
  function inputGradient(pass, c) {
    check(Number.isInteger(c) && c >= 0 && c < d.classes, `classes are 0–${d.classes - 1}, not ${c}`);
    const signal = new Float(d.classes);
    signal[c] = 1;
    return backward(pass, signal, layers.length - 1, 'gradient');
  }

  // ---------------------------------------------------------------- class-level attributions (issue 25)

  /** Blank paper (0 in pixels) in the network's input units: IG's baseline, occlusion's patch. */
  const blank = normalize(new Float64Array(inputCount));
  /** One pixel unit in input units: SmoothGrad's σ is given in pixels. */
  const pixelUnit = d.normalization ? 1 / d.normalization.std : 1;
  /** What Grad-CAM weighs: the last convolution's output after its ReLU (before any pooling), or
   *  the convolution's own output when no ReLU follows it. */
  const lastBlock = d.convolutionalLayers[d.convolutionalLayers.length - 1];
  const lastConvolution = lastBlock ? layers[lastBlock.layer] : null;
  const gradCamLayer = lastBlock ? lastBlock.layer + (layers[lastBlock.layer + 1].kind === 'relu' ? 1 : 0) : null;

  function classSignal(c) {
    check(Number.isInteger(c) && c >= 0 && c < d.classes, `classes are 0–${d.classes - 1}, not ${c}`);
    const signal = new Float(d.classes);
    signal[c] = 1;
    return signal;
  }

  /** log p_c sent down to the input under `rule` (Captum's Saliency, GuidedBackprop, Deconvolution). */
  const classBackward = (pass, c, rule) => backward(pass, classSignal(c), layers.length - 1, rule);

  /** Grad-CAM's map before upsampling: ReLU(Σ_k α_k A_k) over the maps A_k of gradCamLayer,
   *  α_k the spatial mean of ∂ log p_c / ∂A_k (Captum's LayerGradCam, relu_attributions=True). */
  function gradCamMap(pass, c) {
    check(gradCamLayer !== null, 'Grad-CAM needs a convolutional layer');
    const { outChannels: maps, outputHeight: h, outputWidth: w } = lastConvolution, plane = h * w;
    const A = pass.outputs[gradCamLayer], G = backward(pass, classSignal(c), layers.length - 1, 'gradient', gradCamLayer + 1);
    const sums = new Float64Array(plane);
    for (let k = 0; k < maps; k++) {
      let alpha = 0;
      for (let i = 0; i < plane; i++) alpha += G[k * plane + i];
      alpha /= plane;
      for (let i = 0; i < plane; i++) sums[i] += alpha * A[k * plane + i];
    }
    return { map: Float.from(sums, (v) => (v > 0 ? v : 0)), height: h, width: w, layer: gradCamLayer };
  }

  /** Each method as a generator over `pass` (the forward pass of the image) and class `c`: it
   *  yields the share of its passes done after each forward or backward pass (so that a page can
   *  spread the long ones over frames) and returns { values } (inputCount values, one per input
   *  pixel, of log p_c in the network's input units) and what else its method defines. */
  const METHODS = {
    * gradient(pass, c) { return { values: classBackward(pass, c, 'gradient') }; },

    * gradient_x_input(pass, c) {
      const g = classBackward(pass, c, 'gradient');
      return { values: Float.from(g, (v, i) => v * pass.input[i]) };
    },

    /** (x − x₀) · Σ_k w_k ∇ log p_c(x₀ + α_k (x − x₀)) with x₀ blank paper, α_k = k / (n − 1) and
     *  Captum's riemann_trapezoid weights w_k = 1 / n, halved at both ends (they sum to
     *  (n − 1) / n, not 1: Captum's, kept). Also the completeness error: Σ attributions against
     *  log p_c(x) − log p_c(x₀). */
    * integrated_gradients(pass, c, { steps }) {
      check(Number.isInteger(steps) && steps > 1, `integrated gradients need 2 steps or more, not ${steps}`);
      const x = pass.input, sums = new Float64Array(inputCount);
      let baseline = 0;
      for (let k = 0; k < steps; k++) {
        const alpha = k / (steps - 1), point = new Float(inputCount);
        for (let i = 0; i < inputCount; i++) point[i] = blank[i] + alpha * (x[i] - blank[i]);
        const along = forwardInput(point);
        if (k === 0) baseline = along.logProbabilities[c];
        yield (2 * k + 1) / (2 * steps);
        const g = classBackward(along, c, 'gradient'), weight = (k === 0 || k === steps - 1 ? 0.5 : 1) / steps;
        for (let i = 0; i < inputCount; i++) sums[i] += weight * g[i];
        yield (2 * k + 2) / (2 * steps);
      }
      const values = Float.from(sums, (v, i) => v * (x[i] - blank[i]));
      const sum = values.reduce((a, b) => a + b, 0), difference = pass.logProbabilities[c] - baseline;
      return { values, sum, difference, error: sum - difference };
    },

    /** The mean gradient over `samples` copies x + σ ε_k, σ in pixels, ε the standard normal
     *  `noise` (samples × inputCount, copy by copy) or gaussianNoise(seed, …). */
    * smoothgrad(pass, c, { samples, sigma, seed, noise }) {
      check(Number.isInteger(samples) && samples > 0, `SmoothGrad needs 1 copy or more, not ${samples}`);
      noise = noise ?? gaussianNoise(seed, samples * inputCount);
      check(noise.length === samples * inputCount, `the noise must be ${samples} × ${inputCount} values, not ${noise.length}`);
      const x = pass.input, sums = new Float64Array(inputCount), scale = sigma * pixelUnit;
      for (let k = 0; k < samples; k++) {
        const point = new Float(inputCount);
        for (let i = 0; i < inputCount; i++) point[i] = x[i] + scale * noise[k * inputCount + i];
        const noisy = forwardInput(point);
        yield (2 * k + 1) / (2 * samples);
        const g = classBackward(noisy, c, 'gradient');
        for (let i = 0; i < inputCount; i++) sums[i] += g[i];
        yield (2 * k + 2) / (2 * samples);
      }
      return { values: Float.from(sums, (v) => v / samples) };
    },

    /** Grad-CAM's map resized to the input bilinearly; the map itself as `map`. */
    * gradcam(pass, c) {
      const cam = gradCamMap(pass, c);
      return { values: resizeBilinear(cam.map, cam.height, cam.width, d.imageHeight, d.imageWidth, Float), ...cam };
    },

    /** Guided backpropagation times Grad-CAM's resized map (Captum's GuidedGradCam with
     *  interpolate_mode='bilinear'). */
    * guided_gradcam(pass, c) {
      const cam = gradCamMap(pass, c);
      const resized = resizeBilinear(cam.map, cam.height, cam.width, d.imageHeight, d.imageWidth, Float64Array);
      const guided = classBackward(pass, c, 'guided');
      return { values: Float.from(guided, (v, i) => v * resized[i]), ...cam };
    },

    * guided_backprop(pass, c) { return { values: classBackward(pass, c, 'guided') }; },

    * deconvnet(pass, c) { return { values: classBackward(pass, c, 'deconvnet') }; },

    /** Each pixel's mean drop log p_c(x) − log p_c(x with a patch × patch square of blank paper)
     *  over the squares that cover it, the squares every `stride` pixels inside the image
     *  (Captum's Occlusion); a pixel no square covers gets 0. */
    * occlusion(pass, c, { patch, stride }) {
      const H = d.imageHeight, W = d.imageWidth;
      check(Number.isInteger(patch) && patch > 0 && patch <= Math.min(H, W) && Number.isInteger(stride) && stride > 0,
        `occlusion needs a patch of 1–${Math.min(H, W)} pixels and a positive stride, not ${patch} and ${stride}`);
      const x = pass.input, original = pass.logProbabilities[c], sums = new Float64Array(inputCount), counts = new Float64Array(inputCount);
      const rows = Math.floor((H - patch) / stride) + 1, columns = Math.floor((W - patch) / stride) + 1;
      for (let r = 0; r < rows; r++) {
        for (let q = 0; q < columns; q++) {
          const occluded = new Float(x), top = r * stride, left = q * stride;
          for (let y = top; y < top + patch; y++) occluded.set(blank.subarray(y * W + left, y * W + left + patch), y * W + left);
          const drop = original - forwardInput(occluded).logProbabilities[c];
          for (let y = top; y < top + patch; y++) {
            for (let i = y * W + left; i < y * W + left + patch; i++) { sums[i] += drop; counts[i] += 1; }
          }
          yield (r * columns + q + 1) / (rows * columns);
        }
      }
      return { values: Float.from(sums, (v, i) => (counts[i] ? v / counts[i] : 0)), positions: rows * columns };
    },
  };

  /** Method `method`'s generator (see METHODS) for class `c` of `pass`, with the issue's
   *  settings unless `options` says otherwise. */
  function attributionSteps(pass, method, c, options = {}) {
    check(ATTRIBUTIONS.includes(method), `the method must be one of ${ATTRIBUTIONS.join(', ')}, not ${method}`);
    classSignal(c);
    return METHODS[method](pass, c, { ...ATTRIBUTION_OPTIONS, ...options });
  }

  /** Method `method` for class `c` of `pass`, computed to its end. */
  function attribute(pass, method, c, options = {}) {
    const steps = attributionSteps(pass, method, c, options);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /** The multiply-adds of one forward pass (convolutions and linear layers): what the time of a
   *  method of many passes scales with. */
  const multiplyAdds = layers.reduce((n, l) => n + (l.kind === 'convolution'
    ? l.outChannels * l.inChannels * l.kernel * l.kernel * l.outputHeight * l.outputWidth
    : l.kind === 'linear' ? l.inFeatures * l.outFeatures : 0), 0);

  return {
    description: d, parameters: p, inputCount, classes: d.classes, layers, convolutionalLayers: d.convolutionalLayers, multiplyAdds,
    conv, normalize, forward, forwardInput, backward, seed, project, projectAll, inputGradient,
    blank, gradCamLayer, attributionSteps, attribute,
  };
}

// ------------------------------------------------------------------ embedded tensors

/** A tensor embedded as { dtype: 'F32' | 'U8', shape, data: base64 of its little-endian bytes }. */
function decode(tensor) {
  const text = typeof atob === 'function' ? atob(tensor.data) : Buffer.from(tensor.data, 'base64').toString('latin1');
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  if (tensor.dtype === 'U8') return bytes;
  check(tensor.dtype === 'F32', `tensors are F32 or U8, not ${tensor.dtype}`);
  const view = new DataView(bytes.buffer), floats = new Float32Array(bytes.length / 4);
  for (let i = 0; i < floats.length; i++) floats[i] = view.getFloat32(4 * i, true);
  return floats;
}

return {
  RULES, MODES, PASS, ATTRIBUTIONS, ATTRIBUTION_OPTIONS, create, validate, decode, splitMix64, gaussianNoise, resizeBilinear,
  ops: { convolve, relu, maxPool, averagePool, linear, logSoftmax, convolveTransposed, unpool, averageUnpool, linearTransposed, logSoftmaxTransposed, reluByRule },
};
}));
