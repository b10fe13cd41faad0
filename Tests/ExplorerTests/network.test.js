// Unit tests of the explorer's computation (Templates/explorer/network.js) with Node's own test
// runner: `node --test Tests/ExplorerTests/` (make test runs it before swift test). Tiny networks
// whose answers are known by hand, adjoint identities, finite differences of the gradient rule,
// strided, padded and overlapping cases. The comparison with the Swift engine is ExplorerTests'.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const ReportNetwork = require(path.join(__dirname, '..', '..', 'Templates', 'explorer', 'network.js'));
const { ops } = ReportNetwork;

// ------------------------------------------------------------------ helpers

/** A description built from kinds as Network.init builds it: every size from
 *  O = (I + 2P − K) / S + 1, parameters layer by layer, the conv blocks (a convolution and the
 *  ReLUs and pools that follow it), a log-softmax added at the end. */
function chain(imageHeight, imageWidth, kinds, normalization = null) {
  let shape = [1, imageHeight, imageWidth], offset = 0;
  const layers = [];
  for (const [kind, a = {}] of kinds.concat([['logSoftmax']])) {
    const layer = { kind };
    if (kind === 'convolution') {
      const { out, k, s = 1, p = 0 } = a;
      Object.assign(layer, { inChannels: shape[0], outChannels: out, kernel: k, stride: s, padding: p, inputHeight: shape[1], inputWidth: shape[2],
        outputHeight: Math.floor((shape[1] + 2 * p - k) / s) + 1, outputWidth: Math.floor((shape[2] + 2 * p - k) / s) + 1, offset });
      offset += out * (shape[0] * k * k + 1);
      shape = [out, layer.outputHeight, layer.outputWidth];
    } else if (kind === 'maxPool' || kind === 'averagePool') {
      const { k, s = k } = a;
      Object.assign(layer, { channels: shape[0], kernel: k, stride: s, inputHeight: shape[1], inputWidth: shape[2],
        outputHeight: Math.floor((shape[1] - k) / s) + 1, outputWidth: Math.floor((shape[2] - k) / s) + 1 });
      shape = [shape[0], layer.outputHeight, layer.outputWidth];
    } else if (kind === 'flatten') {
      shape = [shape.reduce((x, y) => x * y)];
    } else if (kind === 'linear') {
      Object.assign(layer, { inFeatures: shape[0], outFeatures: a.out, offset });
      offset += a.out * (shape[0] + 1);
      shape = [a.out];
    }
    layer.outputShape = shape.slice();
    layers.push(layer);
  }
  const convolutionalLayers = [];
  layers.forEach((layer, i) => {
    if (layer.kind !== 'convolution') return;
    let end = i;
    while (end + 1 < layers.length && ['relu', 'maxPool', 'averagePool'].includes(layers[end + 1].kind)) end++;
    convolutionalLayers.push({ name: `conv${convolutionalLayers.length + 1}`, layer: i, outputLayer: end, maps: layer.outChannels,
      outputShape: layers[end].outputShape });
  });
  return { imageHeight, imageWidth, classes: shape[0], normalization, parameterCount: offset, layers, convolutionalLayers };
}

/** SplitMix64's raw outputs, in BigInt: the reference for the page's 32-bit version. */
function splitMix64Reference(seed) {
  let state = BigInt(seed);
  const mask = (1n << 64n) - 1n;
  return () => {
    state = (state + 0x9E3779B97F4A7C15n) & mask;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & mask;
    z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & mask;
    return z ^ (z >> 31n);
  };
}

/** SplitMix64's doubles in [−1, 1), seeded: the same numbers on every run. */
function random(seed) {
  const next = splitMix64Reference(seed);
  return () => Number(next() >> 11n) / 2 ** 53 * 2 - 1;
}
const randomArray = (n, next, scale = 1) => Float64Array.from({ length: n }, () => scale * next());
const dot = (a, b) => a.reduce((sum, v, i) => sum + v * b[i], 0);
const maxAbs = (a) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

function assertClose(actual, expected, tolerance, what = '') {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} values, not ${expected.length}`);
  let worst = 0, at = -1;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= worst)) { worst = d; at = i; }
  }
  assert.ok(worst <= tolerance, `${what}: largest difference ${worst} at ${at} (${actual[at]} against ${expected[at]}), tolerance ${tolerance}`);
}

/** One layer alone, as the first of a chain (its parameters at offset 0). */
const single = (h, w, kind, a) => chain(h, w, [[kind, a], ['flatten'], ['linear', { out: 2 }]]).layers[0];

// ------------------------------------------------------------------ layers by hand

test('a 2 × 2 convolution of a 3 × 3 image, by hand', () => {
  const layer = single(3, 3, 'convolution', { out: 1, k: 2 });
  const p = [1, 0, 0, -1, 0.5];   // x[y][x] − x[y + 1][x + 1] + 0.5
  const out = ops.convolve(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), layer, p, Float64Array);
  assert.deepEqual(Array.from(out), [-3.5, -3.5, -3.5, -3.5]);
});

test('a strided, padded convolution and its transpose, by hand', () => {
  // 4 × 4 image 1…16, 3 × 3 filter of ones, stride 2, padding 1: 2 × 2 outputs.
  const layer = single(4, 4, 'convolution', { out: 1, k: 3, s: 2, p: 1 });
  const p = new Array(9).fill(1).concat([0]);
  const x = Float64Array.from({ length: 16 }, (_, i) => i + 1);
  assert.deepEqual(Array.from(ops.convolve(x, layer, p, Float64Array)), [1 + 2 + 5 + 6, 2 + 3 + 4 + 6 + 7 + 8, 5 + 6 + 9 + 10 + 13 + 14, 6 + 7 + 8 + 10 + 11 + 12 + 14 + 15 + 16]);
  // The top-left output saw rows 0–1 and columns 0–1; the bottom-right one rows 1–3, columns 1–3.
  assert.deepEqual(Array.from(ops.convolveTransposed([1, 0, 0, 0], layer, p, Float64Array)), [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(ops.convolveTransposed([0, 0, 0, 2], layer, p, Float64Array)), [0, 0, 0, 0, 0, 2, 2, 2, 0, 2, 2, 2, 0, 2, 2, 2]);
});

test('the rows and columns a stride never reached get nothing back', () => {
  // 5 × 5, 2 × 2 filter, stride 2: outputs cover rows and columns 0–3 only.
  const layer = single(5, 5, 'convolution', { out: 1, k: 2, s: 2 });
  const back = ops.convolveTransposed([1, 1, 1, 1], layer, [1, 2, 3, 4, 0], Float64Array);
  for (let i = 0; i < 5; i++) assert.ok(back[4 * 5 + i] === 0 && back[i * 5 + 4] === 0, `row 4 and column 4 get nothing`);
  assert.deepEqual(Array.from(back.subarray(0, 5)), [1, 2, 1, 2, 0]);
  assert.deepEqual(Array.from(back.subarray(5, 10)), [3, 4, 3, 4, 0]);
});

test('max-pooling keeps the first maximum of a window on ties', () => {
  const layer = single(2, 4, 'maxPool', { k: 2 });
  const { output, switches } = ops.maxPool([1, 5, 3, 3, 5, 2, 3, 3], layer, Float64Array);
  assert.deepEqual(Array.from(output), [5, 3]);
  assert.deepEqual(Array.from(switches), [1, 2]);   // (0, 1) before (1, 0); the top-left of four equal values
});

test('overlapping max-pool windows that choose the same place sum there when unpooled', () => {
  // 4 × 4 with its only non-zero value at row 1, column 2, which every 3 × 3 window (stride 1) holds.
  const x = new Float64Array(16);
  x[1 * 4 + 2] = 9;
  const layer = single(4, 4, 'maxPool', { k: 3, s: 1 });
  const { output, switches } = ops.maxPool(x, layer, Float64Array);
  assert.deepEqual(Array.from(output), [9, 9, 9, 9]);
  assert.deepEqual(Array.from(switches), [6, 6, 6, 6]);
  const back = ops.unpool([1, 2, 3, 4], switches, layer, Float64Array);
  assert.equal(back[6], 10);
  assert.equal(maxAbs(back.filter((_, i) => i !== 6)), 0);
});

test('average pooling spreads value / K² over its window, summed where windows overlap', () => {
  const layer = single(4, 4, 'averagePool', { k: 2 });
  assert.deepEqual(Array.from(ops.averagePool(Float64Array.from({ length: 16 }, (_, i) => i), layer, Float64Array)), [2.5, 4.5, 10.5, 12.5]);
  assert.deepEqual(Array.from(ops.averageUnpool([4, 0, 0, 8], layer, Float64Array)), [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 2, 2, 0, 0, 2, 2]);
  const overlapping = single(3, 3, 'averagePool', { k: 2, s: 1 });
  assert.deepEqual(Array.from(ops.averageUnpool([4, 4, 4, 4], overlapping, Float64Array)), [1, 2, 1, 2, 4, 2, 1, 2, 1]);
});

test('log-softmax and its transpose', () => {
  const logp = ops.logSoftmax([1, 2, 3], Float64Array);
  const z = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
  assertClose(logp, [1 - z, 2 - z, 3 - z], 1e-15, 'log-softmax');
  const back = ops.logSoftmaxTransposed([0, 1, 0], logp, Float64Array);   // ∂ log p_1 / ∂ z = e_1 − p
  assertClose(back, [-Math.exp(1 - z), 1 - Math.exp(2 - z), -Math.exp(3 - z)], 1e-15, 'its gradient');
});

// ------------------------------------------------------------------ adjoints

test('⟨conv x, y⟩ = ⟨x, convᵀ y⟩ for strided, padded and uneven convolutions', () => {
  const next = random(24);
  for (const [cin, out, k, s, p, h, w] of [[1, 2, 5, 1, 2, 8, 8], [2, 3, 3, 2, 1, 7, 7], [3, 2, 2, 2, 0, 5, 6], [2, 2, 3, 3, 0, 10, 10], [2, 4, 4, 3, 2, 9, 11]]) {
    const description = chain(h, w, [['convolution', { out, k, s, p }], ['flatten'], ['linear', { out: 2 }]]);
    const layer = { ...description.layers[0], inChannels: cin };
    const params = randomArray(out * (cin * k * k + 1), next);
    params.fill(0, out * cin * k * k, out * cin * k * k + out);   // no bias: the map is linear
    const x = randomArray(cin * h * w, next), y = randomArray(out * layer.outputHeight * layer.outputWidth, next);
    const left = dot(ops.convolve(x, layer, params, Float64Array), y), right = dot(x, ops.convolveTransposed(y, layer, params, Float64Array));
    assert.ok(Math.abs(left - right) <= 1e-12 * Math.max(1, Math.abs(left)), `K ${k}, S ${s}, P ${p}, ${h} × ${w}: ${left} ≠ ${right}`);
  }
});

test('⟨pool x, y⟩ = ⟨x, unpool y⟩ for max-pooling with its switches and for average pooling', () => {
  const next = random(7);
  for (const [k, s, h, w] of [[2, 2, 6, 6], [3, 2, 7, 7], [3, 1, 5, 6], [2, 3, 8, 7]]) {
    const description = chain(h, w, [['convolution', { out: 2, k: 1 }], ['maxPool', { k, s }], ['flatten'], ['linear', { out: 2 }]]);
    const layer = description.layers[1], x = randomArray(2 * h * w, next), y = randomArray(2 * layer.outputHeight * layer.outputWidth, next);
    const { output, switches } = ops.maxPool(x, layer, Float64Array);
    // With its switches fixed, max-pooling is the linear map x ↦ x[switch]: its output.
    assert.ok(Math.abs(dot(output, y) - dot(x, ops.unpool(y, switches, layer, Float64Array))) < 1e-12, `max-pool K ${k}, S ${s}`);
    const averaged = { ...layer, kind: 'averagePool' };
    assert.ok(Math.abs(dot(ops.averagePool(x, averaged, Float64Array), y) - dot(x, ops.averageUnpool(y, averaged, Float64Array))) < 1e-12,
      `average pool K ${k}, S ${s}`);
  }
});

test('⟨W x, y⟩ = ⟨x, Wᵀ y⟩ for a linear layer', () => {
  const next = random(3), layer = { inFeatures: 7, outFeatures: 4, offset: 0 };
  const params = randomArray(7 * 4 + 4, next);
  params.fill(0, 28);
  const x = randomArray(7, next), y = randomArray(4, next);
  assert.ok(Math.abs(dot(ops.linear(x, layer, params, Float64Array), y) - dot(x, ops.linearTransposed(y, layer, params, Float64Array))) < 1e-12);
});

// ------------------------------------------------------------------ networks by hand

/** 2 × 2 image → conv1 (1 × 1, weight 1, bias 0) → ReLU → conv2 (1 × 1, weight w, bias b) → ReLU
 *  → flatten → linear to 2 classes. */
function tiny(w, b) {
  const description = chain(2, 2, [['convolution', { out: 1, k: 1 }], ['relu'], ['convolution', { out: 1, k: 1 }], ['relu'], ['flatten'], ['linear', { out: 2 }]]);
  return ReportNetwork.create(description, [1, 0, w, b, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], { float64: true });
}

test('conv blocks are named by depth and end after their ReLU and pooling', () => {
  const d = chain(12, 12, [['convolution', { out: 2, k: 3 }], ['relu'], ['convolution', { out: 3, k: 3 }], ['relu'], ['maxPool', { k: 2 }], ['flatten'], ['linear', { out: 4 }]]);
  const net = ReportNetwork.create(d, new Float32Array(d.parameterCount));
  assert.deepEqual(net.convolutionalLayers.map((c) => [c.name, c.layer, c.outputLayer, c.maps]), [['conv1', 0, 1, 2], ['conv2', 2, 4, 3]]);
  assert.equal(net.classes, 4);
  const pass = net.forward(new Float32Array(144));
  assert.equal(pass.outputs[4].length, 3 * 4 * 4);
  assert.ok(Math.abs(pass.probabilities.reduce((a, b) => a + b) - 1) < 1e-6);
});

test('the three rules by hand: where the forward ReLU was closed, and where the signal is negative', () => {
  const pixels = [0.5, -1, 2, 0.2];   // after conv1's ReLU: 0.5, 0, 2, 0.2
  // conv2 = 1 + relu1 = 1.5, 1, 3, 1.2, all positive: the signal reaching relu1 is positive,
  // so the deconvnet passes it where relu1 was closed, too.
  let net = tiny(1, 1), pass = net.forward(pixels);
  assert.deepEqual(Array.from(pass.outputs[3]), [1.5, 1, 3, 1.2]);
  assert.deepEqual(Array.from(net.project(pass, 'conv2', 0, 'gradient')), [1.5, 0, 3, 1.2]);
  assert.deepEqual(Array.from(net.project(pass, 'conv2', 0, 'deconvnet')), [1.5, 1, 3, 1.2]);
  assert.deepEqual(Array.from(net.project(pass, 'conv2', 0, 'guided')), [1.5, 0, 3, 1.2]);
  for (const rule of ReportNetwork.RULES) assert.deepEqual(Array.from(net.project(pass, 'conv2', 0, rule, 'strongest')), [0, 0, 3, 0]);
  // conv1's projection meets only its own ReLU, where the seed sits: every rule gives the seed.
  for (const rule of ReportNetwork.RULES) assert.deepEqual(Array.from(net.project(pass, 'conv1', 0, rule)), [0.5, 0, 2, 0.2]);
  // conv2 = 3 − relu1 = 2.5, 3, 1, 2.8: the signal reaching relu1 is negative; the gradient
  // passes it where relu1 was open, the deconvnet and guided backpropagation nothing.
  net = tiny(-1, 3);
  pass = net.forward(pixels);
  assert.deepEqual(Array.from(net.project(pass, 'conv2', 0, 'gradient')), [-2.5, 0, -1, -2.8]);
  assert.deepEqual(Array.from(net.project(pass, 'conv2', 0, 'deconvnet')), [0, 0, 0, 0]);
  assert.deepEqual(Array.from(net.project(pass, 'conv2', 0, 'guided')), [0, 0, 0, 0]);
});

test('the strongest unit is the first of equal maxima; other maps are zeroed', () => {
  const d = chain(2, 3, [['convolution', { out: 2, k: 1 }], ['relu'], ['flatten'], ['linear', { out: 2 }]]);
  // map 0 = pixel, map 1 = −pixel + 1.
  const net = ReportNetwork.create(d, [1, -1, 0, 1].concat(new Array(2 * 12 + 2).fill(0)));
  const pass = net.forward([0.2, 0.7, 0.7, 0.1, 0.7, 0]);
  assert.deepEqual(Array.from(net.seed(pass, 'conv1', 0, 'strongest')), [0, Math.fround(0.7), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(net.seed(pass, 0, 1, 'strongest')), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  const whole = net.seed(pass, 'conv1', 1, 'whole-map');
  assert.equal(maxAbs(whole.subarray(0, 6)), 0);
  assert.deepEqual(Array.from(whole.subarray(6)), Array.from(pass.outputs[1].subarray(6)));
});

test('the projection of an overlapping max-pool block sums where windows share their maximum', () => {
  // 3 × 3 image with its peak in the middle; 1 × 1 conv of weight 2; 2 × 2 windows, stride 1: all four pick the middle.
  const d = chain(3, 3, [['convolution', { out: 1, k: 1 }], ['relu'], ['maxPool', { k: 2, s: 1 }], ['flatten'], ['linear', { out: 2 }]]);
  const net = ReportNetwork.create(d, [2, 0].concat(new Array(10).fill(0)), { float64: true });
  const pass = net.forward([0, 0, 0, 0, 1, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(pass.switches[2]), [4, 4, 4, 4]);
  assert.deepEqual(Array.from(net.project(pass, 'conv1', 0, 'deconvnet')), [0, 0, 0, 0, 16, 0, 0, 0, 0]);   // 4 windows × 2 × 2
});

test('bad arguments are range errors that say what is allowed', () => {
  const net = tiny(1, 1), pass = net.forward([0, 0, 0, 0]);
  assert.throws(() => net.project(pass, 'conv3', 0), /'conv1', 'conv2'/);
  assert.throws(() => net.project(pass, 'conv1', 1), /maps 0–0/);
  assert.throws(() => net.project(pass, 'conv1', 0, 'saliency'), /rule must be/);
  assert.throws(() => net.project(pass, 'conv1', 0, 'guided', 'all'), /mode must be/);
  assert.throws(() => net.forward([0, 0, 0]), /4 values/);
  assert.throws(() => ReportNetwork.create(chain(2, 2, [['convolution', { out: 1, k: 1 }], ['flatten'], ['linear', { out: 2 }]]), [1, 2]), /need 12 parameters, but 2 were given/);
});

test('embedded tensors decode from base64 of little-endian bytes', () => {
  const floats = Float32Array.from([1.5, -2, 3.25e-7]);
  const data = Buffer.from(floats.buffer).toString('base64');
  assert.deepEqual(Array.from(ReportNetwork.decode({ dtype: 'F32', shape: [3], data })), Array.from(floats));
  assert.deepEqual(Array.from(ReportNetwork.decode({ dtype: 'U8', shape: [2], data: Buffer.from([7, 255]).toString('base64') })), [7, 255]);
});

// ------------------------------------------------------------------ finite differences

/** 12 × 12 → conv (3 @ 3 × 3, stride 2, padding 1) → ReLU → max-pool 3, stride 1 (overlapping) →
 *  conv (4 @ 2 × 2, padding 1) → ReLU → average pool 3, stride 2 → flatten → fc 6 → ReLU → fc 5. */
const kinds = [['convolution', { out: 3, k: 3, s: 2, p: 1 }], ['relu'], ['maxPool', { k: 3, s: 1 }], ['convolution', { out: 4, k: 2, p: 1 }], ['relu'],
  ['averagePool', { k: 3, s: 2 }], ['flatten'], ['linear', { out: 6 }], ['relu'], ['linear', { out: 5 }]];

function mixedNetwork(seed, normalization = null, float64 = true) {
  const d = chain(12, 12, kinds, normalization), next = random(seed);
  return { d, net: ReportNetwork.create(d, randomArray(d.parameterCount, next, 0.7), { float64 }), pixels: Float64Array.from({ length: 144 }, () => (next() + 1) / 2) };
}

/** The central difference of f at x along every coordinate. */
function numericalGradient(f, x, h = 1e-6) {
  return Float64Array.from(x, (_, i) => {
    const plus = Float64Array.from(x), minus = Float64Array.from(x);
    plus[i] += h;
    minus[i] -= h;
    return (f(plus) - f(minus)) / (2 * h);
  });
}

test('the gradient of log p_c is the finite difference of log p_c (strided conv, overlapping max-pool, average pool)', () => {
  const { net, pixels, d } = mixedNetwork(11);
  assert.deepEqual(d.layers.map((l) => l.outputShape.join('×')), ['3×6×6', '3×6×6', '3×4×4', '4×5×5', '4×5×5', '4×2×2', '16', '6', '6', '5', '5']);
  const pass = net.forward(pixels);
  for (let c = 0; c < 5; c++) {
    const analytic = net.inputGradient(pass, c), numeric = numericalGradient((x) => net.forward(x).logProbabilities[c], pixels);
    assert.ok(maxAbs(analytic) > 1e-3, 'a gradient that is not all zero');
    assertClose(analytic, numeric, 1e-6 * maxAbs(numeric) + 1e-9, `class ${c}`);
  }
});

test('with a normalisation the gradient is in the network\'s input units: d/d pixel = gradient / std', () => {
  const { net, pixels } = mixedNetwork(5, { mean: 0.1307, std: 0.3081 });
  const analytic = net.inputGradient(net.forward(pixels), 2), numeric = numericalGradient((x) => net.forward(x).logProbabilities[2], pixels);
  assertClose(analytic.map((g) => g / 0.3081), numeric, 1e-6 * maxAbs(numeric) + 1e-9, 'class 2');
});

test('the gradient rule\'s projection is the gradient of ⟨seed, block output⟩', () => {
  const { net, pixels } = mixedNetwork(2);
  const pass = net.forward(pixels);
  for (const conv of net.convolutionalLayers) {
    for (const mode of ReportNetwork.MODES) {
      for (let map = 0; map < conv.maps; map++) {
        const seed = net.seed(pass, conv.name, map, mode);
        if (maxAbs(seed) === 0) continue;
        const numeric = numericalGradient((x) => dot(seed, net.forward(x).outputs[conv.outputLayer]), pixels);
        assertClose(net.project(pass, conv.name, map, 'gradient', mode), numeric, 1e-6 * maxAbs(numeric) + 1e-9, `${conv.name} map ${map}, ${mode}`);
      }
    }
  }
});

test('in floats the network agrees with itself in doubles', () => {
  const doubles = mixedNetwork(9), floats = mixedNetwork(9, null, false);
  const a = doubles.net.forward(doubles.pixels), b = floats.net.forward(floats.pixels);
  assertClose(b.probabilities, a.probabilities, 1e-6, 'probabilities');
  for (const rule of ReportNetwork.RULES) {
    for (let map = 0; map < 4; map++) {
      const x = doubles.net.project(a, 'conv2', map, rule), y = floats.net.project(b, 'conv2', map, rule);
      assert.ok(y instanceof Float32Array);
      assertClose(y, x, 1e-5 * maxAbs(x), `conv2 map ${map}, ${rule}`);
    }
  }
});

// ------------------------------------------------------------------ speed

test('PyTorch\'s MNIST example network: forward and all 96 projections of an image (printed, not judged here)', () => {
  const d = chain(28, 28, [['convolution', { out: 32, k: 3 }], ['relu'], ['convolution', { out: 64, k: 3 }], ['relu'], ['maxPool', { k: 2 }],
    ['flatten'], ['linear', { out: 128 }], ['relu'], ['linear', { out: 10 }]], { mean: 0.1307, std: 0.3081 });
  const next = random(1);
  const params = Float32Array.from({ length: d.parameterCount }, () => 0.1 * next());
  const net = ReportNetwork.create(d, params), pixels = Float32Array.from({ length: 784 }, (_, i) => ((i * 7919) % 97 < 30 ? 1 : 0));
  const times = [];
  for (let k = 0; k < 5; k++) {
    const start = performance.now(), pass = net.forward(pixels);
    for (const conv of net.convolutionalLayers) net.projectAll(pass, conv.name, 'guided');
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`# network.js in Node: PyTorch example network (96 maps), forward + 96 projections: median ${times[2].toFixed(1)} ms`);
  assert.equal(net.convolutionalLayers.reduce((n, c) => n + c.maps, 0), 96);
});

// ------------------------------------------------------------------ class-level attributions (issue 25)


test('SplitMix64 on 32-bit halves gives the 64-bit generator\'s outputs', () => {
  const first = ReportNetwork.splitMix64(0).nextHalves();
  assert.deepEqual(first.map((h) => h.toString(16)), ['e220a839', '7b1dcdaf']);   // SplitMix64(0)'s well-known first output
  for (const seed of [0, 1, 25, 0x5DEECE66D, 2 ** 32 - 1, 2 ** 32, 2 ** 53]) {
    const page = ReportNetwork.splitMix64(seed), reference = splitMix64Reference(seed);
    for (let k = 0; k < 2000; k++) {
      const [hi, lo] = page.nextHalves(), expected = reference();
      assert.equal((BigInt(hi) << 32n) | BigInt(lo), expected, `seed ${seed}, output ${k}`);
    }
    const again = ReportNetwork.splitMix64(seed), reference2 = splitMix64Reference(seed);
    for (let k = 0; k < 100; k++) assert.equal(again.next(), Number(reference2() >> 11n) / 2 ** 53);
  }
  assert.throws(() => ReportNetwork.splitMix64(-1), /seed must be an integer/);
});

test('the page\'s Gaussian noise is standard normal (moments and the share within one σ) and repeats with its seed', () => {
  const n = 200000, noise = ReportNetwork.gaussianNoise(7, n);
  let mean = 0, square = 0, within = 0;
  for (const v of noise) { mean += v; square += v * v; within += Math.abs(v) < 1 ? 1 : 0; }
  mean /= n;
  const variance = square / n - mean * mean;
  // Standard errors: 1/√n = 0.0022 for the mean, √(2/n) = 0.0032 for the variance, 0.001 for the share.
  assert.ok(Math.abs(mean) < 0.01 && Math.abs(variance - 1) < 0.015 && Math.abs(within / n - 0.6827) < 0.005,
    `mean ${mean}, variance ${variance}, share within ±1 ${within / n}`);
  assert.deepEqual(Array.from(ReportNetwork.gaussianNoise(7, 5)), Array.from(noise.subarray(0, 5)));
  assert.notDeepEqual(Array.from(ReportNetwork.gaussianNoise(8, 5)), Array.from(noise.subarray(0, 5)));
});

test('bilinear resizing with half-pixel centres, by hand (PyTorch\'s align_corners=False)', () => {
  // Rows and columns 0–3 of 4 read sources 0, 0.25, 0.75 and 1 of 2 (−0.25 clamped to 0, 1.25 to the last).
  assert.deepEqual(Array.from(ReportNetwork.resizeBilinear([1, 2, 3, 4], 2, 2, 4, 4, Float64Array)),
    [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]);
  const same = Float64Array.from({ length: 12 }, (_, i) => i * i);
  assert.deepEqual(Array.from(ReportNetwork.resizeBilinear(same, 3, 4, 3, 4, Float64Array)), Array.from(same));
  // One row of 1 × 3 → 1 × 2: sources 0.25 and 1.75.
  assert.deepEqual(Array.from(ReportNetwork.resizeBilinear([0, 4, 8], 1, 3, 1, 2, Float64Array)), [1, 7]);
});

/** The Captum fixtures (Tests/Fixtures/make_explorer_attribution_fixtures.py) and their networks. */
const fixtures = JSON.parse(require('node:fs').readFileSync(path.join(__dirname, '..', 'Fixtures', 'explorer-attributions.json'), 'utf8'));

/** A network's parameters: embedded, or the named tensors of a safetensors file in the given order. */
function fixtureParameters(stored) {
  if (!stored.file) return ReportNetwork.decode(stored);
  const fs = require('node:fs'), bytes = fs.readFileSync(path.join(__dirname, '..', '..', stored.file));
  assert.equal(require('node:crypto').createHash('sha256').update(bytes).digest('hex'), stored.sha256,
    `${stored.file} is not the file the fixtures were made from: run Tests/Fixtures/make_explorer_attribution_fixtures.py`);
  const headerLength = Number(bytes.readBigUInt64LE(0)), header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  const values = [];
  for (const name of stored.order) {
    const { dtype, data_offsets: [start, end] } = header[name];
    assert.equal(dtype, 'F32');
    for (let at = 8 + headerLength + start; at < 8 + headerLength + end; at += 4) values.push(bytes.readFloatLE(at));
  }
  return Float32Array.from(values);
}

const fixtureNetworks = fixtures.networks.map((n) => ({ ...n, net: ReportNetwork.create(n.description, fixtureParameters(n.parameters)) }));
const imagePixels = (image) => Float32Array.from(ReportNetwork.decode(image.pixels), (b) => b / 255);

test('every method agrees with Captum within 1e-4 of each picture\'s largest magnitude', () => {
  assert.deepEqual(fixtures.options, ReportNetwork.ATTRIBUTION_OPTIONS, 'the fixtures use the page\'s settings');
  const lines = [];
  for (const { name, net, images } of fixtureNetworks) {
    for (const image of images) {
      const pass = net.forward(imagePixels(image)), p = pass.probabilities, c = p.indexOf(Math.max(...p));
      assert.equal(c, image.target, `${name}, test image ${image.testIndex}: the predicted class`);
      assert.ok(Math.abs(pass.logProbabilities[c] - image.logProbability) < 1e-5, `${name}: log p ${pass.logProbabilities[c]}, not ${image.logProbability}`);
      for (const method of ReportNetwork.ATTRIBUTIONS) {
        const expected = ReportNetwork.decode(image.attributions[method]), result = net.attribute(pass, method, c);
        const scale = maxAbs(expected);
        assert.ok(scale > 0, `${name}, ${method}: Captum's picture is not all zero`);
        assertClose(result.values, expected, 1e-4 * scale, `${name}, test image ${image.testIndex}, ${method} (largest magnitude ${scale.toPrecision(3)})`);
        let worst = 0;
        for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(result.values[i] - expected[i]));
        lines.push(`${name} ${image.testIndex} ${method}: ${(worst / scale).toExponential(1)}`);
        if (method === 'integrated_gradients') {
          // Captum's convergence delta is the same Σ attributions − (log p_c(x) − log p_c(blank)).
          assert.ok(Math.abs(result.error - image.integratedGradientsDelta) <= 1e-4 * Math.abs(result.difference),
            `${name}: completeness error ${result.error}, Captum's delta ${image.integratedGradientsDelta}`);
          lines.push(`${name} ${image.testIndex} IG completeness: error ${result.error.toPrecision(3)} of ${result.difference.toPrecision(4)}, ` +
            `Captum ${image.integratedGradientsDelta.toPrecision(3)}`);
        }
      }
    }
  }
  console.log(`# largest difference from Captum, of each picture's largest magnitude:\n# ${lines.join('\n# ')}`);
});

test('Grad-CAM weighs the last convolution\'s ReLU, or the convolution itself when no ReLU follows it', () => {
  const [lenet, mixed] = fixtureNetworks.map((n) => n.net);
  assert.equal(lenet.layers[lenet.gradCamLayer].kind, 'relu');
  assert.equal(lenet.gradCamLayer, lenet.convolutionalLayers[1].layer + 1);
  assert.equal(mixed.layers[mixed.gradCamLayer].kind, 'convolution');
  assert.equal(mixed.gradCamLayer, mixed.convolutionalLayers[2].layer);
  const pass = mixed.forward(imagePixels(fixtureNetworks[1].images[0])), cam = mixed.attribute(pass, 'gradcam', 3);
  assert.deepEqual([cam.height, cam.width, cam.map.length], [2, 2, 4]);
});

test('each method\'s steps report their share done up to 1 and end in what attribute() gives; SmoothGrad takes given noise', () => {
  const { net, images } = fixtureNetworks[0], pass = net.forward(imagePixels(images[0])), c = images[0].target;
  const passes = { integrated_gradients: 128, smoothgrad: 64, occlusion: 22 * 22 };
  for (const method of ReportNetwork.ATTRIBUTIONS) {
    const steps = net.attributionSteps(pass, method, c), shares = [];
    let step;
    while (!(step = steps.next()).done) shares.push(step.value);
    assert.equal(shares.length, passes[method] ?? 0, `${method}: one step per forward or backward pass`);
    assert.ok(shares.every((s, i) => s > (shares[i - 1] ?? 0) && s <= 1) && (shares.length === 0 || shares[shares.length - 1] === 1), method);
    assert.deepEqual(Array.from(step.value.values), Array.from(net.attribute(pass, method, c).values), method);
  }
  const noise = ReportNetwork.gaussianNoise(0, 32 * 784);
  assert.deepEqual(Array.from(net.attribute(pass, 'smoothgrad', c, { noise }).values), Array.from(net.attribute(pass, 'smoothgrad', c).values));
  // Without noise every copy is the image: the mean gradient is its gradient.
  assertClose(net.attribute(pass, 'smoothgrad', c, { sigma: 0, samples: 3 }).values, net.attribute(pass, 'gradient', c).values, 1e-7 * maxAbs(net.inputGradient(pass, c)), 'σ = 0');
});

test('a forward pass\'s multiply-adds, which the page\'s estimates scale with, by hand for LeNet-5', () => {
  // conv1 6 · 25 · 28², conv2 16 · 6 · 25 · 10², fc 400 · 120 + 120 · 84 + 84 · 10.
  assert.equal(fixtureNetworks[0].net.multiplyAdds, 117600 + 240000 + 48000 + 10080 + 840);
});

test('attribution arguments are range errors that say what is allowed', () => {
  const { net, images } = fixtureNetworks[0], pass = net.forward(imagePixels(images[0]));
  assert.throws(() => net.attribute(pass, 'saliency', 0), /one of gradient, gradient_x_input, integrated_gradients/);
  assert.throws(() => net.attribute(pass, 'gradient', 10), /classes are 0–9/);
  assert.throws(() => net.attribute(pass, 'integrated_gradients', 0, { steps: 1 }), /2 steps or more/);
  assert.throws(() => net.attribute(pass, 'smoothgrad', 0, { noise: [1, 2] }), /noise must be 32 × 784 values/);
  assert.throws(() => net.attribute(pass, 'occlusion', 0, { patch: 29 }), /patch of 1–28 pixels/);
});
