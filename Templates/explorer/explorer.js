// The LeNet-5 explorer. Part one computes: the forward pass and the three backward rules, as the
// report's Swift code defines them (Sources/LeNet, Sources/Deconvnet), from the embedded weights.
// Part two is the page. window.reportExplorer is the interface the tests use.
'use strict';
(() => {

// ------------------------------------------------------------------ the embedded data

const data = JSON.parse(document.getElementById('explorer-data').textContent);

/** A tensor's little-endian bytes, as a Float32Array (F32) or a Uint8Array (U8). */
function decode(tensor) {
  const text = atob(tensor.data);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  if (tensor.dtype === 'U8') return bytes;
  const view = new DataView(bytes.buffer), floats = new Float32Array(bytes.length / 4);
  for (let i = 0; i < floats.length; i++) floats[i] = view.getFloat32(4 * i, true);
  return floats;
}

const weights = {};
for (const [name, tensor] of Object.entries(data.model)) weights[name] = decode(tensor);
const images = { indices: data.images.indices, labels: data.images.labels, pixels: decode(data.images.pixels) };
const PIXELS = 784, SIDE = 28, KERNEL = 5;

// ------------------------------------------------------------------ the forward pass

// The two convolutional layers of LeNet5: convolution (stride 1) → ReLU → 2 × 2 max-pool.
const LAYERS = {
  conv1: { inChannels: 1, inSide: 28, maps: 6, padding: 2, side: 28 },
  conv2: { inChannels: 6, inSide: 14, maps: 16, padding: 0, side: 10 },
};
for (const [name, layer] of Object.entries(LAYERS)) {
  layer.weight = weights[name + '.weight'];   // (maps, inChannels, 5, 5)
  layer.bias = weights[name + '.bias'];
  layer.pooledSide = layer.side / 2;
}

/** The layer's convolution of `input` (inChannels, inSide, inSide), rectified: (maps, side, side).
 *  Each output sums its filter's rows ky0…ky1 − 1 and columns kx0…kx1 − 1: those on the input, not on the zero padding. */
function convolveRectified(input, layer) {
  const { inChannels, inSide, maps, padding, side, weight, bias } = layer;
  const out = new Float32Array(maps * side * side);
  for (let o = 0; o < maps; o++) {
    for (let y = 0; y < side; y++) {
      const ky0 = Math.max(0, padding - y), ky1 = Math.min(KERNEL, inSide + padding - y);
      for (let x = 0; x < side; x++) {
        const kx0 = Math.max(0, padding - x), kx1 = Math.min(KERNEL, inSide + padding - x);
        let sum = bias[o];
        for (let c = 0; c < inChannels; c++) {
          for (let ky = ky0; ky < ky1; ky++) {
            const row = (c * inSide + y + ky - padding) * inSide + x - padding, filter = ((o * inChannels + c) * KERNEL + ky) * KERNEL;
            for (let kx = kx0; kx < kx1; kx++) sum += weight[filter + kx] * input[row + kx];
          }
        }
        out[(o * side + y) * side + x] = sum > 0 ? sum : 0;
      }
    }
  }
  return out;
}

/** 2 × 2 max-pooling with stride 2 of (channels, side, side), and its switches: where in its
 *  plane (y · side + x) each maximum was. The window is read top left, top right, bottom left,
 *  bottom right, and a later value wins only when strictly greater, as in the engine. */
function maxPool(input, channels, side) {
  const half = side / 2, plane = side * side;
  const pooled = new Float32Array(channels * half * half), switches = new Int32Array(pooled.length);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < half; y++) {
      for (let x = 0; x < half; x++) {
        const plane0 = c * plane, topLeft = 2 * y * side + 2 * x;
        let at = topLeft;
        if (input[plane0 + topLeft + 1] > input[plane0 + at]) at = topLeft + 1;
        if (input[plane0 + topLeft + side] > input[plane0 + at]) at = topLeft + side;
        if (input[plane0 + topLeft + side + 1] > input[plane0 + at]) at = topLeft + side + 1;
        const o = (c * half + y) * half + x;
        pooled[o] = input[plane0 + at];
        switches[o] = at;
      }
    }
  }
  return { pooled, switches };
}

/** weight (out, in) · input + bias, rectified if asked. */
function linear(input, weight, bias, rectified) {
  const out = new Float32Array(bias.length);
  for (let o = 0; o < bias.length; o++) {
    let sum = bias[o];
    for (let i = 0; i < input.length; i++) sum += weight[o * input.length + i] * input[i];
    out[o] = rectified && sum < 0 ? 0 : sum;
  }
  return out;
}

/** Softmax through the log-softmax, as the model's last layer computes it. */
function probabilities(logits) {
  const max = Math.max(...logits);
  let sum = 0;
  for (const z of logits) sum += Math.exp(z - max);
  const logSum = max + Math.log(sum);
  return Float32Array.from(logits, (z) => Math.exp(z - logSum));
}

/** LeNet-5 on 784 pixels in [0, 1]: what the projections need (both pooled outputs and their
 *  switches) and the ten class probabilities. */
function forward(pixels) {
  const pool1 = maxPool(convolveRectified(pixels, LAYERS.conv1), 6, 28);
  const pool2 = maxPool(convolveRectified(pool1.pooled, LAYERS.conv2), 16, 10);
  const fc1 = linear(pool2.pooled, weights['fc1.weight'], weights['fc1.bias'], true);
  const fc2 = linear(fc1, weights['fc2.weight'], weights['fc2.bias'], true);
  const logits = linear(fc2, weights['fc3.weight'], weights['fc3.bias'], false);
  return {
    pooled: { conv1: pool1.pooled, conv2: pool2.pooled },
    switches: { conv1: pool1.switches, conv2: pool2.switches },
    probabilities: probabilities(logits),
  };
}

// ------------------------------------------------------------------ the three backward rules

/** How a rule passes a signal value back through a ReLU whose forward output there was `f`
 *  (BackwardRule.pass). */
const RULES = {
  gradient: (s, f) => (f > 0 ? s : 0),             // where the forward ReLU was open
  deconvnet: (s, f) => (s > 0 ? s : 0),            // rectified, whatever the forward pass did
  guided: (s, f) => (f > 0 && s > 0 ? s : 0),      // both
};
const MODES = ['whole-map', 'strongest'];

/** The seed (Deconvnet.keep): the layer's pooled maps with every map but `map` zeroed; in
 *  'strongest' mode only the map's first largest value (row-major) survives. */
function seed(pooled, plane, map, mode) {
  const kept = new Float32Array(pooled.length), start = map * plane;
  if (mode === 'whole-map') {
    kept.set(pooled.subarray(start, start + plane), start);
  } else {
    let best = start;
    for (let i = start + 1; i < start + plane; i++) if (pooled[i] > pooled[best]) best = i;
    kept[best] = pooled[best];
  }
  return kept;
}

/** Puts each pooled value back where its switch says the maximum was, 0 elsewhere:
 *  (channels, side / 2, side / 2) → (channels, side, side). */
function unpool(values, switches, channels, side) {
  const plane = side * side, pooledPlane = plane / 4;
  const out = new Float32Array(channels * plane);
  for (let i = 0; i < values.length; i++) out[Math.floor(i / pooledPlane) * plane + switches[i]] = values[i];
  return out;
}

/** The layer's convolution transposed, without bias: (maps, side, side) → (inChannels, inSide,
 *  inSide). Each signal value adds itself, times its filter, to the inputs that filter saw: the
 *  same sums as convolving with the filters flipped and the channels swapped
 *  (DeconvOperations.filter), written this way so that the zeros of unpooling cost nothing. */
function filterDown(signal, layer) {
  const { inChannels, inSide, maps, padding, side, weight } = layer;
  const out = new Float64Array(inChannels * inSide * inSide);
  for (let o = 0; o < maps; o++) {
    for (let y = 0; y < side; y++) {
      const ky0 = Math.max(0, padding - y), ky1 = Math.min(KERNEL, inSide + padding - y);
      for (let x = 0; x < side; x++) {
        const s = signal[(o * side + y) * side + x];
        if (s === 0) continue;
        const kx0 = Math.max(0, padding - x), kx1 = Math.min(KERNEL, inSide + padding - x);
        for (let c = 0; c < inChannels; c++) {
          for (let ky = ky0; ky < ky1; ky++) {
            const row = (c * inSide + y + ky - padding) * inSide + x - padding, filter = ((o * inChannels + c) * KERNEL + ky) * KERNEL;
            for (let kx = kx0; kx < kx1; kx++) out[row + kx] += s * weight[filter + kx];
          }
        }
      }
    }
  }
  return Float32Array.from(out);
}

/** Map `map` of `layer` projected to pixel space (Deconvnet.reconstruct): the seed goes down
 *  through the layer and, for conv2, on through conv1, each time unpooled with the switches,
 *  passed through the ReLU by `rule` and filtered. The rule is applied before unpooling, which
 *  is the same: unpooling only moves values, and every rule passes a 0 as 0. */
function projectActivations(activations, layer, map, rule, mode) {
  const pass = RULES[rule];
  let signal = seed(activations.pooled[layer], LAYERS[layer].pooledSide ** 2, map, mode);
  for (const stage of layer === 'conv2' ? ['conv2', 'conv1'] : ['conv1']) {
    const forwardOutput = activations.pooled[stage], { maps, side } = LAYERS[stage];
    const passed = signal.map((s, i) => pass(s, forwardOutput[i]));
    signal = filterDown(unpool(passed, activations.switches[stage], maps, side), LAYERS[stage]);
  }
  return signal;
}

// ------------------------------------------------------------------ the interface for tests

function checkedPixels(pixels) {
  if (pixels == null || pixels.length !== PIXELS) throw new RangeError(`pixels must be ${PIXELS} values, row-major 28 × 28`);
  return Float32Array.from(pixels);
}

function testImagePixels(position) {
  return Float32Array.from(images.pixels.subarray(position * PIXELS, (position + 1) * PIXELS), (b) => b / 255);
}

/** What the page shows: the input (a test image's position or the drawing), its pixels and
 *  forward pass, the rule and mode of the cards, and the map whose details are open. */
const state = {
  source: null,
  pixels: null,
  activations: null,
  rule: 'deconvnet',
  mode: 'whole-map',
  selected: { layer: 'conv1', map: 0 },
};

let resolveReady;
window.reportExplorer = {
  ready: new Promise((resolve) => { resolveReady = resolve; }),
  /** The ten class probabilities for 784 pixels in [0, 1], row-major. */
  predict(pixels) {
    return forward(checkedPixels(pixels)).probabilities;
  },
  /** The 784-value projection of one map, as in rules.safetensors and deconvnet.safetensors. */
  project(pixels, { layer, map, rule, mode }) {
    if (!(layer in LAYERS)) throw new RangeError(`layer must be 'conv1' or 'conv2', not ${layer}`);
    if (!Number.isInteger(map) || map < 0 || map >= LAYERS[layer].maps) throw new RangeError(`${layer} has maps 0–${LAYERS[layer].maps - 1}`);
    if (!(rule in RULES)) throw new RangeError(`rule must be 'gradient', 'deconvnet' or 'guided', not ${rule}`);
    if (!MODES.includes(mode)) throw new RangeError(`mode must be 'whole-map' or 'strongest', not ${mode}`);
    return projectActivations(forward(checkedPixels(pixels)), layer, map, rule, mode);
  },
  testImageCount: images.indices.length,
  /** Embedded image i: its test-set index, its label and its pixels (byte / 255). */
  testImage(i) {
    if (!Number.isInteger(i) || i < 0 || i >= images.indices.length) throw new RangeError(`test images are 0–${images.indices.length - 1}`);
    return { index: images.indices[i], label: images.labels[i], pixels: testImagePixels(i) };
  },
  /** The network's current input, whether a test image or the prepared drawing. */
  input() {
    return Float32Array.from(state.pixels);
  },
};

// ------------------------------------------------------------------ colours and numbers

const $ = (id) => document.getElementById(id);
const VIRIDIS = [0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c, 0x22a884, 0x44bf70, 0x7ad151, 0xbddf26, 0xfde725];
const [WHITE, RED, BLUE] = [0xf7f7f7, 0xb2182b, 0x2166ac];
const rgb = (c) => [c >> 16 & 255, c >> 8 & 255, c & 255];
const mix = (a, b, t) => { const [p, q] = [rgb(a), rgb(b)]; return p.map((v, k) => Math.round(v + (q[k] - v) * t)); };
const hex = (c) => '#' + c.toString(16).padStart(6, '0');

/** The report's colour maps (Sources/Graphics/Colormap.swift), each as 511 shades from its low
 *  end to its high end, and where a value lies on it given the scale's limit. */
const SHADES = 511;
const shades = (colourAt) => Array.from({ length: SHADES }, (_, k) => colourAt(k / (SHADES - 1)));
const COLOURS = {
  /** Ink on paper: 0 white, the limit black. */
  ink: { shades: shades((t) => [255 * (1 - t), 255 * (1 - t), 255 * (1 - t)].map(Math.round)), at: (v, limit) => v / limit },
  /** Viridis from 0 to the limit. */
  viridis: {
    shades: shades((t) => { const i = Math.min(Math.floor(10 * t), 9); return mix(VIRIDIS[i], VIRIDIS[i + 1], 10 * t - i); }),
    at: (v, limit) => v / limit,
  },
  /** Blue below 0, white at 0, red above, saturating at ±limit. */
  diverging: { shades: shades((t) => (t >= 0.5 ? mix(WHITE, RED, 2 * t - 1) : mix(WHITE, BLUE, 1 - 2 * t))), at: (v, limit) => (v / limit + 1) / 2 },
};
const GREY = [128, 128, 128];   // a value that is not a number has no place on any scale

/** The limit of a projection's scale: the 99th percentile of its non-zero magnitudes (1 if none),
 *  as the report's figures use, so that a few extreme pixels cannot wash the picture out. */
function percentileLimit(values) {
  const magnitudes = Array.from(values, Math.abs).filter((m) => m > 0).sort((a, b) => a - b);
  return magnitudes.length ? magnitudes[Math.min(magnitudes.length - 1, Math.floor(0.99 * magnitudes.length))] : 1;
}

function format(v) {
  const m = Math.abs(v);
  const text = m === 0 ? '0' : m >= 0.01 && m < 1e4 ? v.toPrecision(3) : v.toExponential(2);
  return text.replaceAll('-', '−');
}

/** A colour bar: the gradient, with the values at its ends (and at 0 for a diverging one) under it. */
function scaleBar(element, stops, labels) {
  const bar = document.createElement('span'), ends = document.createElement('span');
  bar.className = 'bar';
  bar.style.background = `linear-gradient(to right, ${stops.map(hex).join(', ')})`;
  ends.className = 'labels';
  ends.append(...labels.map((text) => Object.assign(document.createElement('span'), { textContent: text })));
  element.replaceChildren(bar, ends);
}
const viridisBar = (element, max) => scaleBar(element, VIRIDIS, ['0', format(max)]);
const divergingBar = (element, limit, labels = [format(-limit), '0', format(limit)]) => scaleBar(element, [BLUE, WHITE, RED], labels);

// ------------------------------------------------------------------ pictures with values under the pointer

const pictures = new WeakMap();   // canvas → { values, side, label }

/** Paints `values` (side × side) into `canvas`, one canvas pixel per value, and remembers them
 *  for the tooltip. */
function paint(canvas, values, side, colour, limit, label) {
  canvas.width = canvas.height = side;
  const context = canvas.getContext('2d');
  const image = context.createImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    const t = colour.at(values[i], limit);
    const [r, g, b] = Number.isFinite(t) ? colour.shades[Math.round(Math.min(Math.max(t, 0), 1) * (SHADES - 1))] : GREY;
    image.data[4 * i] = r;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = b;
    image.data[4 * i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  pictures.set(canvas, { values, side, label });
}

const tooltip = $('tooltip');
function showValue(event) {
  const canvas = event.target, picture = pictures.get(canvas);
  if (!picture) { tooltip.hidden = true; return; }
  const box = canvas.getBoundingClientRect();
  const x = Math.min(picture.side - 1, Math.floor((event.clientX - box.left) / box.width * picture.side));
  const y = Math.min(picture.side - 1, Math.floor((event.clientY - box.top) / box.height * picture.side));
  if (x < 0 || y < 0) { tooltip.hidden = true; return; }
  tooltip.textContent = `${picture.label} · row ${y}, column ${x}: ${format(picture.values[y * picture.side + x])}`;
  tooltip.hidden = false;
  // Beside the pointer, kept inside the window.
  const left = Math.min(event.clientX + 14, window.innerWidth - tooltip.offsetWidth - 4);
  const top = event.clientY + 18 + tooltip.offsetHeight > window.innerHeight ? event.clientY - tooltip.offsetHeight - 10 : event.clientY + 18;
  tooltip.style.left = `${Math.max(4, left)}px`;
  tooltip.style.top = `${top}px`;
}
document.addEventListener('pointermove', showValue);
document.addEventListener('pointerdown', showValue);

// ------------------------------------------------------------------ drawing, prepared like MNIST

const pad = $('pad'), padContext = pad.getContext('2d');
const PAD = 280;    // the pad's own units
const PEN = 30;     // in pad units: 2.6 px once a digit 200 units tall is scaled to 20 px, as thick as MNIST's strokes
const strokes = [];
let stroke = null;

function padPoint(event) {
  const box = pad.getBoundingClientRect();
  return [(event.clientX - box.left) / box.width * PAD, (event.clientY - box.top) / box.height * PAD];
}

/** Draws `strokes` into `context` as round-capped lines PEN wide, under `transform`. */
function drawStrokes(context, transform) {
  context.setTransform(...transform);
  context.lineWidth = PEN;
  context.lineCap = context.lineJoin = 'round';
  for (const points of strokes) {
    context.beginPath();
    if (points.length === 1) {
      context.arc(points[0][0], points[0][1], PEN / 2, 0, 2 * Math.PI);
      context.fill();
      continue;
    }
    context.moveTo(...points[0]);
    for (const p of points.slice(1)) context.lineTo(...p);
    context.stroke();
  }
  context.setTransform(1, 0, 0, 1, 0, 0);
}

function paintPad() {
  padContext.fillStyle = '#fff';
  padContext.fillRect(0, 0, PAD, PAD);
  padContext.strokeStyle = padContext.fillStyle = '#111';
  drawStrokes(padContext, [1, 0, 0, 1, 0, 0]);
  if (!strokes.length) {
    padContext.fillStyle = '#888';
    padContext.font = '16px sans-serif';
    padContext.textAlign = 'center';
    padContext.fillText('draw a digit here', PAD / 2, PAD / 2);
  }
}

const small = document.createElement('canvas');
small.width = small.height = SIDE;
const smallContext = small.getContext('2d', { willReadFrequently: true });

/** The strokes rendered into 28 × 28 under scale `s` and shift (dx, dy): ink coverage in [0, 1]. */
function rasterize(s, dx, dy) {
  smallContext.clearRect(0, 0, SIDE, SIDE);
  smallContext.strokeStyle = smallContext.fillStyle = '#000';
  drawStrokes(smallContext, [s, 0, 0, s, dx, dy]);
  const rgba = smallContext.getImageData(0, 0, SIDE, SIDE).data;
  return Float32Array.from({ length: PIXELS }, (_, i) => rgba[4 * i + 3] / 255);
}

/** MNIST's preparation: scale the ink's bounding box to fit 20 × 20, keeping its aspect ratio
 *  (anti-aliasing gives the grey levels), then shift so the centre of mass is the image's centre. */
function drawingPixels() {
  if (!strokes.length) return new Float32Array(PIXELS);
  const points = strokes.flat(), r = PEN / 2;
  const [left, right] = [Math.min(...points.map((p) => p[0])) - r, Math.max(...points.map((p) => p[0])) + r];
  const [top, bottom] = [Math.min(...points.map((p) => p[1])) - r, Math.max(...points.map((p) => p[1])) + r];
  const s = 20 / Math.max(right - left, bottom - top);
  let dx = SIDE / 2 - s * (left + right) / 2, dy = SIDE / 2 - s * (top + bottom) / 2;
  const boxed = rasterize(s, dx, dy);
  let mass = 0, mx = 0, my = 0;
  boxed.forEach((v, i) => { mass += v; mx += v * (i % SIDE + 0.5); my += v * (Math.floor(i / SIDE) + 0.5); });
  if (mass === 0) return boxed;
  dx += SIDE / 2 - mx / mass;
  dy += SIDE / 2 - my / mass;
  return rasterize(s, dx, dy);
}

let frame = 0;
function drawingChanged(now) {
  paintPad();
  state.source = { kind: 'drawing' };
  state.pixels = drawingPixels();
  if (now) { cancelAnimationFrame(frame); frame = 0; update(); }
  else if (!frame) frame = requestAnimationFrame(() => { frame = 0; update(); });
}

pad.addEventListener('pointerdown', (event) => {
  event.preventDefault();
  if (event.isTrusted) pad.setPointerCapture(event.pointerId);   // synthetic events have no pointer to capture
  stroke = [padPoint(event)];
  strokes.push(stroke);
  drawingChanged(false);
});
pad.addEventListener('pointermove', (event) => {
  if (!stroke) return;
  const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
  for (const e of events.length ? events : [event]) stroke.push(padPoint(e));
  drawingChanged(false);
});
for (const type of ['pointerup', 'pointercancel']) {
  pad.addEventListener(type, () => { if (stroke) { stroke = null; drawingChanged(true); } });
}
$('undo').addEventListener('click', () => { strokes.pop(); drawingChanged(true); });
$('clear').addEventListener('click', () => { strokes.length = 0; drawingChanged(true); });

// ------------------------------------------------------------------ picking test images

const positionOfIndex = new Map(images.indices.map((index, position) => [index, position]));
const predictedLabels = [];   // the page's own classes for the embedded images, in order

/** Classifies up to `count` more embedded images; true while some are left. */
function classify(count) {
  const end = Math.min(images.indices.length, predictedLabels.length + count);
  for (let i = predictedLabels.length; i < end; i++) {
    const p = forward(testImagePixels(i)).probabilities;
    predictedLabels.push(p.indexOf(Math.max(...p)));
  }
  return predictedLabels.length < images.indices.length;
}

/** A second's work, done in slices that leave the page responsive, so that “misclassified only”
 *  is ready when asked for. */
function classifyInBackground() {
  if (classify(25)) setTimeout(classifyInBackground, 0);
}

function embeddedPredictions() {
  classify(Infinity);
  return predictedLabels;
}

/** The embedded images the picker offers: of the chosen digit, misclassified if asked. */
function offered() {
  const digit = $('digit').value, wrong = $('misclassified').checked;
  const predicted = wrong ? embeddedPredictions() : null;
  return images.indices.map((_, i) => i).filter((i) =>
    (digit === '' || images.labels[i] === Number(digit)) && (!wrong || predicted[i] !== images.labels[i]));
}

function showTestImage(position) {
  state.source = { kind: 'test', position };
  state.pixels = testImagePixels(position);
  update();
}

function step(direction) {
  const list = offered();
  if (!list.length) { $('picker-status').textContent = 'No embedded image matches.'; return; }
  const current = state.source.kind === 'test' ? state.source.position : -1;
  const next = direction > 0 ? list.find((i) => i > current) ?? list[0] : list.findLast((i) => i < current) ?? list[list.length - 1];
  showTestImage(next);
}

for (let d = 0; d < 10; d++) $('digit').add(new Option(String(d), String(d)));
$('digit').addEventListener('change', () => step(1));
$('misclassified').addEventListener('change', () => step(1));
$('next').addEventListener('click', () => step(1));
$('previous').addEventListener('click', () => step(-1));
$('random').addEventListener('click', () => {
  const list = offered();
  if (list.length) showTestImage(list[Math.floor(Math.random() * list.length)]);
});
$('index-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const wanted = Number($('index').value);
  let best = 0;
  images.indices.forEach((index, i) => { if (Math.abs(index - wanted) < Math.abs(images.indices[best] - wanted)) best = i; });
  showTestImage(best);
  if (images.indices[best] !== wanted) {
    $('picker-status').textContent = `Test image ${wanted} is not embedded; showing the nearest that is, ${images.indices[best]}.`;
  }
});

function imageButton(position, text) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'image-button';
  const canvas = document.createElement('canvas');
  canvas.className = 'pixels';
  paint(canvas, testImagePixels(position), SIDE, COLOURS.ink, 1, `test image ${images.indices[position]}`);
  const caption = document.createElement('span');
  caption.textContent = text;
  button.append(canvas, caption);
  button.addEventListener('click', () => showTestImage(position));
  return button;
}

$('report-images').replaceChildren(...data.report.map((index) => {
  const position = positionOfIndex.get(index), button = document.createElement('button');
  button.type = 'button';
  button.textContent = `${images.labels[position]} (test ${index})`;
  button.addEventListener('click', () => showTestImage(position));
  return button;
}));

// ------------------------------------------------------------------ the page

const RULE_NAMES = { gradient: 'gradient', deconvnet: 'deconvnet', guided: 'guided backprop.' };
const MODE_NAMES = { 'whole-map': 'whole map', strongest: 'strongest unit' };
const cards = { conv1: [], conv2: [] };

for (const layer of ['conv1', 'conv2']) {
  for (let map = 0; map < LAYERS[layer].maps; map++) {
    const card = document.createElement('button');
    card.type = 'button';
    card.className = 'card';
    const label = document.createElement('span');
    label.textContent = `${layer} · ${map}`;
    const pooled = document.createElement('canvas'), projection = document.createElement('canvas');
    pooled.className = projection.className = 'pixels';
    const limit = document.createElement('span');
    limit.className = 'limit';
    card.append(label, pooled, projection, limit);
    card.addEventListener('click', () => { state.selected = { layer, map }; renderDetail(); });
    $(`${layer}-cards`).append(card);
    cards[layer].push({ card, pooled, projection, limit });
  }
}
for (const input of document.querySelectorAll('input[name=rule], input[name=mode]')) {
  input.addEventListener('change', () => { state[input.name] = input.value; update(); });
}

const bars = Array.from({ length: 10 }, (_, digit) => {
  const row = document.createElement('div');
  row.className = 'probability';
  row.setAttribute('role', 'listitem');
  row.innerHTML = `<span class="digit">${digit}</span><span class="track"><span class="fill"></span></span><span class="value"></span>`;
  $('probabilities').append(row);
  return row;
});

function renderProbabilities(p) {
  const predicted = p.indexOf(Math.max(...p));
  bars.forEach((row, digit) => {
    row.classList.toggle('predicted', digit === predicted);
    row.querySelector('.fill').style.width = `${100 * p[digit]}%`;
    row.querySelector('.value').textContent = `${(100 * p[digit]).toFixed(p[digit] > 0.9995 || p[digit] < 0.0005 ? 1 : 2)} %`;
  });
  $('probabilities').dataset.predicted = predicted;
  $('probabilities').setAttribute('aria-label', `Predicted ${predicted}, with probability ${(100 * p[predicted]).toFixed(1)} %`);
}

function sourceText() {
  if (state.source.kind === 'drawing') return strokes.length ? `Your drawing (${strokes.length} stroke${strokes.length > 1 ? 's' : ''}), prepared as MNIST’s digits were.` : 'Your drawing: empty so far.';
  const i = state.source.position;
  return `Test image ${images.indices[i]}, labelled ${images.labels[i]}.`;
}

/** Recomputes everything for the current input, rule and mode. */
function update() {
  const start = performance.now();
  state.activations = forward(state.pixels);
  const forwardDone = performance.now();
  const projections = Object.fromEntries(['conv1', 'conv2'].map((layer) => [layer,
    cards[layer].map((_, map) => projectActivations(state.activations, layer, map, state.rule, state.mode))]));
  const projectionsDone = performance.now();

  paint($('input'), state.pixels, SIDE, COLOURS.ink, 1, 'input');
  $('input-source').textContent = sourceText();
  renderProbabilities(state.activations.probabilities);
  if (state.source.kind === 'test') {
    const list = offered(), i = state.source.position, place = list.indexOf(i);
    $('picker-status').textContent = `Test image ${images.indices[i]} (label ${images.labels[i]})` + (place >= 0
      ? `: number ${(place + 1).toLocaleString('en')} of the ${list.length.toLocaleString('en')} embedded images offered.`
      : ', not among those the filters offer.');
  } else {
    $('picker-status').textContent = `Your drawing is the input; these controls switch to one of the ${images.indices.length.toLocaleString('en')} embedded test images.`;
  }
  for (const layer of ['conv1', 'conv2']) {
    const pooled = state.activations.pooled[layer], side = LAYERS[layer].pooledSide, plane = side * side;
    const max = Math.max(...pooled) || 1;
    viridisBar($(`${layer === 'conv1' ? 'pool1' : 'pool2'}-scale`), max);
    cards[layer].forEach(({ pooled: pooledCanvas, projection, limit }, map) => {
      paint(pooledCanvas, pooled.subarray(map * plane, (map + 1) * plane), side, COLOURS.viridis, max, `${layer} · ${map}, pooled`);
      const values = projections[layer][map], projectionLimit = percentileLimit(values);
      paint(projection, values, SIDE, COLOURS.diverging, projectionLimit, `${layer} · ${map}, ${RULE_NAMES[state.rule]}, ${MODE_NAMES[state.mode]}`);
      limit.textContent = `±${format(projectionLimit)}`;
    });
  }
  divergingBar($('projection-scale'), 1, ['−limit', '0', '+limit']);
  renderDetail();
  const timing = $('timing');
  timing.dataset.forwardMs = (forwardDone - start).toFixed(2);
  timing.dataset.projectionsMs = (projectionsDone - forwardDone).toFixed(2);
  timing.textContent = `Computed in this browser: forward pass ${(forwardDone - start).toFixed(1)} ms, ` +
    `the 22 projections ${(projectionsDone - forwardDone).toFixed(1)} ms.`;
}

/** The selected map: its pooled activations, its projection under every rule and mode, its top images. */
function renderDetail() {
  const { layer, map } = state.selected, side = LAYERS[layer].pooledSide;
  for (const l of ['conv1', 'conv2']) cards[l].forEach(({ card }, m) => card.classList.toggle('selected', l === layer && m === map));
  $('detail-heading').textContent = `3 · One map: ${layer} · ${map}`;

  const pooled = state.activations.pooled[layer].subarray(map * side * side, (map + 1) * side * side);
  const max = Math.max(...pooled);
  paint($('detail-map'), pooled, side, COLOURS.viridis, max || 1, `${layer} · ${map}, pooled`);
  viridisBar($('detail-map-scale'), max || 1);
  const strongest = pooled.indexOf(max), mark = $('detail-mark');
  Object.assign(mark.style, { left: `${100 * (strongest % side) / side}%`, top: `${100 * Math.floor(strongest / side) / side}%`, width: `${100 / side}%` });
  mark.hidden = !(max > 0);
  $('detail-strongest').textContent = max > 0
    ? `Its strongest unit (outlined), which the “strongest unit” mode keeps: row ${Math.floor(strongest / side)}, column ${strongest % side}, value ${format(max)}.`
    : 'This map is silent for this input: every pooled activation is 0, so every projection is blank.';

  const table = document.createElement('table');
  table.className = 'projections';
  const head = table.createTHead().insertRow();
  head.append(document.createElement('th'));
  for (const rule of Object.keys(RULES)) head.append(Object.assign(document.createElement('th'), { textContent: RULE_NAMES[rule], scope: 'col' }));
  for (const mode of MODES) {
    const row = table.insertRow();
    row.append(Object.assign(document.createElement('th'), { textContent: MODE_NAMES[mode], scope: 'row' }));
    for (const rule of Object.keys(RULES)) {
      const values = projectActivations(state.activations, layer, map, rule, mode), limit = percentileLimit(values);
      const cell = row.insertCell(), canvas = document.createElement('canvas'), scale = document.createElement('div');
      canvas.className = 'pixels';
      paint(canvas, values, SIDE, COLOURS.diverging, limit, `${layer} · ${map}, ${RULE_NAMES[rule]}, ${MODE_NAMES[mode]}`);
      scale.className = 'scale';
      divergingBar(scale, limit, [format(-limit), format(limit)]);   // narrow: white is 0, as the legend shows
      cell.append(canvas, scale);
      cell.classList.toggle('current', rule === state.rule && mode === state.mode);
    }
  }
  $('detail-projections').replaceChildren(table);
  $('detail-rules').textContent = layer === 'conv1'
    ? 'For a conv1 map the three rules give the same picture: the seed is never negative and sits where the forward ReLU was open, and no other ReLU lies below it.'
    : 'For a conv2 map the rules part at conv1’s ReLU: the gradient passes the signal where the forward ReLU was open, the deconvnet whatever is positive, guided backpropagation only what is both.';
  $('top-images').replaceChildren(...data.top[(layer === 'conv2' ? LAYERS.conv1.maps : 0) + map].map((index) => {
    const position = positionOfIndex.get(index);
    return imageButton(position, `${index} (${images.labels[position]})`);
  }));
}

// The first of the report's digits to start with.
showTestImage(positionOfIndex.get(data.report[0]) ?? 0);
paintPad();
resolveReady();
setTimeout(classifyInBackground, 0);
})();
