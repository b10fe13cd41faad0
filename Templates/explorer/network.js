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
    check(pixels != null && pixels.length === inputCount, `pixels must be ${inputCount} values, row-major ${d.imageHeight} × ${d.imageWidth}`);
    let x = new Float(pixels);
    if (d.normalization) {
      // (x − mean) / std as the engine computes it: in floats, each operation rounded.
      const round = Float === Float64Array ? (v) => v : Math.fround;
      const mean = round(d.normalization.mean), std = round(d.normalization.std);
      for (let i = 0; i < x.length; i++) x[i] = round(x[i] - mean) / std;
    }
    const input = x, outputs = [], switches = [];
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

  return {
    description: d, parameters: p, inputCount, classes: d.classes, layers, convolutionalLayers: d.convolutionalLayers,
    conv, forward, backward, seed, project, projectAll, inputGradient,
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
  RULES, MODES, PASS, create, validate, decode,
  ops: { convolve, relu, maxPool, averagePool, linear, logSoftmax, convolveTransposed, unpool, averageUnpool, linearTransposed, logSoftmaxTransposed, reluByRule },
};
}));
