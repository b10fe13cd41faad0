// The explorer page, for any chain network. The computation is network.js's (ReportNetwork:
// the forward pass and the three backward rules as the report's engine defines them), the
// colour maps colours.js's (ReportColours); this script is the page around them.
// window.reportExplorer is the interface the tests use.
'use strict';
(() => {

// ------------------------------------------------------------------ the embedded data

const data = JSON.parse(document.getElementById('explorer-data').textContent);
const net = ReportNetwork.create(data.network, ReportNetwork.decode(data.parameters));
const { RULES, MODES } = ReportNetwork;
const images = { indices: data.images.indices, labels: data.images.labels, pixels: ReportNetwork.decode(data.images.pixels) };
const HEIGHT = data.network.imageHeight, WIDTH = data.network.imageWidth, PIXELS = HEIGHT * WIDTH;
const CLASSES = net.classes;
/** The convolutional layers by depth: name (conv1, …), model name, maps and their pooled size. */
const LAYERS = net.convolutionalLayers.map((c, position) => ({
  ...c, position, height: c.outputShape[1], width: c.outputShape[2], plane: c.outputShape[1] * c.outputShape[2],
}));
const LAYER = Object.fromEntries(LAYERS.map((l) => [l.name, l]));
const MAP_COUNT = LAYERS.reduce((n, l) => n + l.maps, 0);
const layerList = LAYERS.map((l) => `'${l.name}'`).join(', ');

/** A block's output of map `map` in a forward pass. */
const mapValues = (pass, layer, map) => pass.outputs[layer.outputLayer].subarray(map * layer.plane, (map + 1) * layer.plane);

// ------------------------------------------------------------------ the interface for tests

function checkedPixels(pixels) {
  if (pixels == null || pixels.length !== PIXELS) throw new RangeError(`pixels must be ${PIXELS} values, row-major ${HEIGHT} × ${WIDTH}`);
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
  pass: null,
  rule: 'deconvnet',
  mode: 'whole-map',
  selected: { layer: LAYERS[0].name, map: 0 },
};

let resolveReady;
window.reportExplorer = {
  ready: new Promise((resolve) => { resolveReady = resolve; }),
  /** How many classes the network tells apart. */
  classes: CLASSES,
  /** The convolutional layers by depth: name ('conv1', …), the model's own name, maps, pooled size. */
  layers: LAYERS.map((l) => ({ name: l.name, modelName: l.modelName ?? null, maps: l.maps, height: l.height, width: l.width })),
  /** The class probabilities for the image's pixels in [0, 1], row-major. */
  predict(pixels) {
    return net.forward(checkedPixels(pixels)).probabilities;
  },
  /** The projection of one map to the input, as in rules.safetensors and deconvnet.safetensors. */
  project(pixels, { layer, map, rule, mode }) {
    if (!(layer in LAYER)) throw new RangeError(`layer must be one of ${layerList}, not ${layer}`);
    if (!Number.isInteger(map) || map < 0 || map >= LAYER[layer].maps) throw new RangeError(`${layer} has maps 0–${LAYER[layer].maps - 1}`);
    if (!RULES.includes(rule)) throw new RangeError(`rule must be 'gradient', 'deconvnet' or 'guided', not ${rule}`);
    if (!MODES.includes(mode)) throw new RangeError(`mode must be 'whole-map' or 'strongest', not ${mode}`);
    return net.project(net.forward(checkedPixels(pixels)), layer, map, rule, mode);
  },
  /** The gradient of log p(class) with respect to the input, in the network's input units. */
  gradient(pixels, c) {
    return net.inputGradient(net.forward(checkedPixels(pixels)), c);
  },
  /** The class-level attribution methods, by the names attributions.safetensors gives them. */
  attributionMethods: ReportNetwork.ATTRIBUTIONS.slice(),
  /** One method's attribution of log p(target) to the image's pixels, target the predicted class
   *  unless given: { method, target, values } (values in the network's input units, row-major),
   *  with integrated gradients' completeness (sum, difference, error) and Grad-CAM's map before
   *  resizing (map, height, width). Computed at once, however long it takes. Other settings than
   *  the page's (steps, samples, sigma, seed, noise, patch, stride) can be given, for tests. */
  attribute(pixels, method, { target, ...options } = {}) {
    const pass = net.forward(checkedPixels(pixels)), p = pass.probabilities;
    const c = target ?? p.indexOf(Math.max(...p));
    return { method, target: c, ...net.attribute(pass, method, c, options) };
  },
  /** What section 2 shows once it has computed every method it computes by itself for the
   *  current input (a Promise): { target, pixels, methods: { name: { values, ms, … } } }, ms
   *  the time its passes took; a long method waiting for a click is left out. */
  attributions() {
    return new Promise((resolve) => { explained.waiting.push(resolve); if (!explained.queue.length) settleAttributions(); });
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
const { VIRIDIS, WHITE, RED, BLUE, COLOURS, hex, colourOf, percentileLimit } = ReportColours;

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

const pictures = new WeakMap();   // canvas → { values, width, height, label }

/** Paints `values` (height × width) into `canvas`, one canvas pixel per value, and remembers them
 *  for the tooltip. */
function paint(canvas, values, width, height, colour, limit, label) {
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  const image = context.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = colourOf(colour, values[i], limit);
    image.data[4 * i] = r;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = b;
    image.data[4 * i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  pictures.set(canvas, { values, width, height, label });
}

const tooltip = $('tooltip');
function showValue(event) {
  const canvas = event.target, picture = pictures.get(canvas);
  if (!picture) { tooltip.hidden = true; return; }
  const box = canvas.getBoundingClientRect();
  const x = Math.min(picture.width - 1, Math.floor((event.clientX - box.left) / box.width * picture.width));
  const y = Math.min(picture.height - 1, Math.floor((event.clientY - box.top) / box.height * picture.height));
  if (x < 0 || y < 0) { tooltip.hidden = true; return; }
  tooltip.textContent = `${picture.label} · row ${y}, column ${x}: ${format(picture.values[y * picture.width + x])}`;
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

const SIDE = WIDTH, BOX = 20 * SIDE / 28;   // MNIST's 20 × 20 box in its 28 × 28 images
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
  const s = BOX / Math.max(right - left, bottom - top);
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
    const p = net.forward(testImagePixels(i)).probabilities;
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
  paint(canvas, testImagePixels(position), WIDTH, HEIGHT, COLOURS.ink, 1, `test image ${images.indices[position]}`);
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
const mapName = (layer, map) => `${layer} · ${map}`;
/** conv1, and the model's own name where it has one: “conv2 (features.3)”. */
const layerTitle = (l) => (l.modelName && l.modelName !== l.name ? `${l.name} (${l.modelName})` : l.name);

/** What the block's output is after its convolution: “ReLU → max-pool 2 × 2, stride 2”. */
function blockText(l) {
  const parts = [];
  for (let i = l.layer + 1; i <= l.outputLayer; i++) {
    const layer = data.network.layers[i];
    if (layer.kind === 'relu') parts.push('ReLU');
    else parts.push(`${layer.kind === 'maxPool' ? 'max-pool' : 'average pool'} ${layer.kernel} × ${layer.kernel}` +
      (layer.stride !== layer.kernel ? `, stride ${layer.stride}` : ''));
  }
  return parts.join(' → ');
}

// The cards: one section per convolutional layer, its maps in a grid that wraps.
const cards = Object.fromEntries(LAYERS.map((l) => [l.name, []]));
for (const l of LAYERS) {
  const section = document.createElement('div');
  section.className = 'layer';
  section.dataset.layer = l.name;
  const heading = document.createElement('h3'), scale = document.createElement('span');
  scale.className = 'scale';
  const block = blockText(l);
  heading.append(`${layerTitle(l)}${block ? ` → ${block}` : ''}: ${l.maps} map${l.maps > 1 ? 's' : ''} of ${l.height} × ${l.width} `, scale);
  const grid = document.createElement('div');
  grid.className = 'cards';
  for (let map = 0; map < l.maps; map++) {
    const card = document.createElement('button');
    card.type = 'button';
    card.className = 'card';
    const label = document.createElement('span');
    label.textContent = mapName(l.name, map);
    const pooled = document.createElement('canvas'), projection = document.createElement('canvas');
    pooled.className = projection.className = 'pixels';
    const limit = document.createElement('span');
    limit.className = 'limit';
    card.append(label, pooled, projection, limit);
    card.addEventListener('click', () => { state.selected = { layer: l.name, map }; renderDetail(); });
    grid.append(card);
    cards[l.name].push({ card, pooled, projection, limit });
  }
  section.append(heading, grid);
  $('layers').append(section);
  l.scale = scale;
}
for (const input of document.querySelectorAll('input[name=rule], input[name=mode]')) {
  input.addEventListener('change', () => { state[input.name] = input.value; update(); });
}

const bars = Array.from({ length: CLASSES }, (_, digit) => {
  const row = document.createElement('div');
  row.className = 'probability';
  row.setAttribute('role', 'listitem');
  row.innerHTML = `<span class="digit">${digit}</span><span class="track"><span class="fill"></span></span><span class="value"></span>`;
  $('probabilities').append(row);
  return row;
});

// ------------------------------------------------------------------ section 2: the class-level attributions

const { ATTRIBUTIONS, ATTRIBUTION_OPTIONS } = ReportNetwork;
const METHOD_NAMES = {
  gradient: 'gradient', gradient_x_input: 'gradient × input', integrated_gradients: 'integrated gradients', smoothgrad: 'SmoothGrad',
  gradcam: 'Grad-CAM', guided_gradcam: 'guided Grad-CAM', guided_backprop: 'guided backprop.', deconvnet: 'deconvnet',
  occlusion: 'occlusion',
};
/** The methods of many passes, computed after the others. */
const LONG = ['smoothgrad', 'integrated_gradients', 'occlusion'];
const ORDER = ATTRIBUTIONS.filter((m) => !LONG.includes(m)).concat(LONG);
/** A long method expected to take longer than this waits for a click (a large network's occlusion). */
const AUTOMATIC_MS = 4000;
/** Expected from the network's size rather than timed, so that the page behaves the same on every
 *  load: network.js's forward passes ran 300–460 million multiply-adds a second in Chromium on
 *  this project's shared, loaded 2-core machine (occlusion, LeNet-5 and PyTorch's example
 *  network); a backward pass is taken to cost as much, which overestimates it. */
const MULTIPLY_ADDS_PER_MS = 300e3;
/** Work in slices this long, so that drawing and clicking stay responsive. */
const SLICE_MS = 12;
const PATCH = ATTRIBUTION_OPTIONS.patch;
const places = (side) => Math.floor((side - PATCH) / ATTRIBUTION_OPTIONS.stride) + 1;
const OCCLUSIONS = places(HEIGHT) * places(WIDTH);

const attributionCards = Object.fromEntries(ATTRIBUTIONS.map((method) => {
  const card = document.createElement('figure'), caption = document.createElement('figcaption');
  card.className = 'attribution';
  card.dataset.method = method;
  caption.textContent = METHOD_NAMES[method];
  const canvas = document.createElement('canvas'), limit = document.createElement('span'), button = document.createElement('button');
  canvas.className = 'pixels';
  limit.className = 'limit';
  button.type = 'button';
  button.hidden = true;
  button.addEventListener('click', () => {
    allowedLong.add(method);
    button.hidden = true;
    explained.held = explained.held.filter((m) => m !== method);
    explained.queue.push(method);
    if (explained.queue.length === 1) schedule(0);   // else the running slices reach it
  });
  card.append(caption, canvas, limit, button);
  $('attributions').append(card);
  return [method, { card, canvas, limit, button }];
}));
$('occlusion-count').textContent = OCCLUSIONS.toLocaleString('en');
{
  const last = LAYERS[LAYERS.length - 1], layer = data.network.layers[net.gradCamLayer];
  const which = layer.kind === 'relu' ? 'ReLU output, before pooling' : 'own output, as no ReLU follows it';
  const [maps, height, width] = layer.outputShape;
  $('gradcam-layer').textContent = `${layerTitle(last)}’s ${which}: ${maps} maps of ${height} × ${width}`;
}
divergingBar($('attribution-scale'), 1, ['−limit', '0', '+limit']);

/** The input whose attributions section 2 shows or computes, and the work left. */
const explained = {
  pixels: null, pass: null, target: 0, results: {},
  queue: [], current: null, held: [], generation: 0, timer: 0, waiting: [],
};
/** Long methods the reader asked for: computed for every later input too. */
const allowedLong = new Set();

const channel = new MessageChannel();   // a task at once, without setTimeout's 4 ms clamp
channel.port1.onmessage = (event) => { if (event.data === explained.generation) work(); };
function schedule(delay) {
  clearTimeout(explained.timer);
  const generation = explained.generation;
  if (delay > 0) explained.timer = setTimeout(() => { if (generation === explained.generation) work(); }, delay);
  else channel.port2.postMessage(generation);
}

/** Starts over for a new input (not for a new rule or mode: the attributions do not depend on
 *  them). While a stroke is being drawn, waits until the pen rests. */
function explain() {
  if (state.pixels === explained.pixels) return;
  const p = state.pass.probabilities;
  explained.generation++;
  Object.assign(explained, {
    pixels: state.pixels, pass: state.pass, target: p.indexOf(Math.max(...p)), results: {}, queue: ORDER.slice(), current: null, held: [],
  });
  $('attribution-class').textContent = String(explained.target);
  for (const { card, button, limit } of Object.values(attributionCards)) {
    card.classList.add('stale');
    button.hidden = true;
    limit.textContent = 'waiting';
  }
  $('completeness').textContent = '';
  schedule(stroke ? 150 : 0);
}

/** The expected time of a long method: its forward and backward passes at MULTIPLY_ADDS_PER_MS. */
function estimate(method) {
  const pass = net.multiplyAdds / MULTIPLY_ADDS_PER_MS, { steps, samples } = ATTRIBUTION_OPTIONS;
  return method === 'integrated_gradients' ? 2 * steps * pass : method === 'smoothgrad' ? 2 * samples * pass : OCCLUSIONS * pass;
}

/** One slice of the work: steps of the methods in order, each a forward or backward pass. */
function work() {
  const end = performance.now() + SLICE_MS;
  while (explained.queue.length && performance.now() < end) {
    const method = explained.queue[0];
    if (!explained.current) {
      if (LONG.includes(method) && !allowedLong.has(method) && estimate(method) > AUTOMATIC_MS) {
        explained.queue.shift();
        explained.held.push(method);
        const { button, limit } = attributionCards[method];
        button.textContent = `Compute (about ${Math.ceil(estimate(method) / 1000)} s)`;
        button.hidden = false;
        limit.textContent = '';
        continue;
      }
      explained.current = { method, steps: net.attributionSteps(explained.pass, method, explained.target), ms: 0, share: 0 };
    }
    const current = explained.current, start = performance.now(), step = current.steps.next();
    current.ms += performance.now() - start;
    if (!step.done) { current.share = step.value; continue; }
    explained.results[method] = { ...step.value, ms: current.ms };
    explained.current = null;
    explained.queue.shift();
    showAttribution(method);
  }
  if (explained.current) {
    attributionCards[explained.current.method].limit.textContent = `computing… ${Math.floor(100 * explained.current.share)} %`;
  }
  if (explained.queue.length) schedule(0);
  else settleAttributions();
  showAttributionStatus();
}

function showAttribution(method) {
  const { card, canvas, limit } = attributionCards[method], result = explained.results[method], c = explained.target;
  const scale = percentileLimit(result.values);
  paint(canvas, result.values, WIDTH, HEIGHT, COLOURS.diverging, scale, `${METHOD_NAMES[method]} of log p(${c})`);
  limit.textContent = `±${format(scale)}`;
  card.dataset.ms = result.ms.toFixed(2);
  card.classList.remove('stale');
  if (method === 'integrated_gradients') {
    const { sum, difference, error } = result, byWeights = -difference / ATTRIBUTION_OPTIONS.steps;
    $('completeness').textContent = `Integrated gradients’ completeness: the attributions sum to ${format(sum)}, while ` +
      `log p(${c}) is ${format(difference)} higher for this input than for blank paper: an error of ${format(error)} ` +
      `(${format(100 * error / Math.abs(difference))} % of the difference), of which ${format(byWeights)} comes from ` +
      `Captum’s weights summing to ${ATTRIBUTION_OPTIONS.steps - 1}/${ATTRIBUTION_OPTIONS.steps}.`;
  }
}

function showAttributionStatus() {
  const { results, current, held } = explained;
  const ms = (m) => (results[m].ms < 10 ? results[m].ms.toFixed(1) : Math.round(results[m].ms));
  const times = ORDER.filter((m) => results[m]).map((m) => `${METHOD_NAMES[m]} ${ms(m)} ms`).join(', ') || 'nothing yet';
  const left = current ? `Computing ${METHOD_NAMES[current.method]}: ${Math.floor(100 * current.share)} %. ` : '';
  const names = held.map((m) => METHOD_NAMES[m]).join(', ');
  const waiting = held.length ? ` Waiting for a click, as this network would take seconds: ${names}.` : '';
  $('attribution-status').textContent = `${left}Computed in this browser for class ${explained.target}: ${times}.${waiting}`;
}

/** Answers the attributions() calls once the current input's work is done. */
function settleAttributions() {
  const methods = Object.fromEntries(Object.entries(explained.results).map(([m, r]) => [m, { ...r, values: Float32Array.from(r.values) }]));
  const shown = { target: explained.target, pixels: Float32Array.from(explained.pixels), methods };
  for (const resolve of explained.waiting.splice(0)) resolve(shown);
}

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

/** Recomputes everything for the current input, rule and mode: one forward pass, shared by
 *  every map's projection. */
function update() {
  const start = performance.now();
  state.pass = net.forward(state.pixels);
  const forwardDone = performance.now();
  const projections = Object.fromEntries(LAYERS.map((l) => [l.name, net.projectAll(state.pass, l.name, state.rule, state.mode)]));
  const projectionsDone = performance.now();

  paint($('input'), state.pixels, WIDTH, HEIGHT, COLOURS.ink, 1, 'input');
  $('input-source').textContent = sourceText();
  renderProbabilities(state.pass.probabilities);
  if (state.source.kind === 'test') {
    const list = offered(), i = state.source.position, place = list.indexOf(i);
    $('picker-status').textContent = `Test image ${images.indices[i]} (label ${images.labels[i]})` + (place >= 0
      ? `: number ${(place + 1).toLocaleString('en')} of the ${list.length.toLocaleString('en')} embedded images offered.`
      : ', not among those the filters offer.');
  } else {
    $('picker-status').textContent = `Your drawing is the input; these controls switch to one of the ${images.indices.length.toLocaleString('en')} embedded test images.`;
  }
  for (const l of LAYERS) {
    const pooled = state.pass.outputs[l.outputLayer];
    let max = 0;
    for (let i = 0; i < pooled.length; i++) if (pooled[i] > max) max = pooled[i];
    max = max || 1;
    viridisBar(l.scale, max);
    cards[l.name].forEach(({ pooled: pooledCanvas, projection, limit }, map) => {
      paint(pooledCanvas, mapValues(state.pass, l, map), l.width, l.height, COLOURS.viridis, max, `${mapName(l.name, map)}, pooled`);
      const values = projections[l.name][map], projectionLimit = percentileLimit(values);
      paint(projection, values, WIDTH, HEIGHT, COLOURS.diverging, projectionLimit, `${mapName(l.name, map)}, ${RULE_NAMES[state.rule]}, ${MODE_NAMES[state.mode]}`);
      limit.textContent = `±${format(projectionLimit)}`;
    });
  }
  divergingBar($('projection-scale'), 1, ['−limit', '0', '+limit']);
  renderDetail();
  explain();
  const timing = $('timing');
  timing.dataset.forwardMs = (forwardDone - start).toFixed(2);
  timing.dataset.projectionsMs = (projectionsDone - forwardDone).toFixed(2);
  timing.textContent = `Computed in this browser: forward pass ${(forwardDone - start).toFixed(1)} ms, ` +
    `the ${MAP_COUNT} projections ${(projectionsDone - forwardDone).toFixed(1)} ms.`;
}

/** The selected map: its pooled activations, its projection under every rule and mode, its top images. */
function renderDetail() {
  const { layer, map } = state.selected, l = LAYER[layer];
  for (const other of LAYERS) cards[other.name].forEach(({ card }, m) => card.classList.toggle('selected', other.name === layer && m === map));
  $('detail-heading').textContent = `4 · One map: ${mapName(layer, map)}`;

  const pooled = mapValues(state.pass, l, map);
  let max = -Infinity, strongest = 0;
  for (let i = 0; i < pooled.length; i++) if (pooled[i] > max) { max = pooled[i]; strongest = i; }   // the first on ties, as the seed
  const limit = max > 0 ? max : 1;
  paint($('detail-map'), pooled, l.width, l.height, COLOURS.viridis, limit, `${mapName(layer, map)}, pooled`);
  viridisBar($('detail-map-scale'), limit);
  const mark = $('detail-mark');
  Object.assign(mark.style, { left: `${100 * (strongest % l.width) / l.width}%`, top: `${100 * Math.floor(strongest / l.width) / l.height}%`, width: `${100 / l.width}%` });
  mark.hidden = !(max > 0);
  $('detail-strongest').textContent = max > 0
    ? `Its strongest unit (outlined), which the “strongest unit” mode keeps: row ${Math.floor(strongest / l.width)}, column ${strongest % l.width}, value ${format(max)}.`
    : 'This map is silent for this input: no pooled activation is positive, so the projections show little or nothing.';

  const table = document.createElement('table');
  table.className = 'projections';
  const head = table.createTHead().insertRow();
  head.append(document.createElement('th'));
  for (const rule of RULES) head.append(Object.assign(document.createElement('th'), { textContent: RULE_NAMES[rule], scope: 'col' }));
  for (const mode of MODES) {
    const row = table.insertRow();
    row.append(Object.assign(document.createElement('th'), { textContent: MODE_NAMES[mode], scope: 'row' }));
    for (const rule of RULES) {
      const values = net.project(state.pass, layer, map, rule, mode), scaleLimit = percentileLimit(values);
      const cell = row.insertCell(), canvas = document.createElement('canvas'), scale = document.createElement('div');
      canvas.className = 'pixels';
      paint(canvas, values, WIDTH, HEIGHT, COLOURS.diverging, scaleLimit, `${mapName(layer, map)}, ${RULE_NAMES[rule]}, ${MODE_NAMES[mode]}`);
      scale.className = 'scale';
      divergingBar(scale, scaleLimit, [format(-scaleLimit), format(scaleLimit)]);   // narrow: white is 0, as the legend shows
      cell.append(canvas, scale);
      cell.classList.toggle('current', rule === state.rule && mode === state.mode);
    }
  }
  $('detail-projections').replaceChildren(table);
  const relusBelow = data.network.layers.slice(0, l.layer).filter((x) => x.kind === 'relu').length;
  $('detail-rules').textContent = relusBelow === 0
    ? `For a ${layer} map the three rules give the same picture: the seed sits where the block’s own ReLU was open and is never negative there, and no other ReLU lies below it.`
    : `For a ${layer} map the rules part at the ${relusBelow} ReLU${relusBelow > 1 ? 's' : ''} below its block: the gradient passes the signal where the forward ReLU was open, the deconvnet whatever is positive, guided backpropagation only what is both.`;
  $('top-images').replaceChildren(...(data.top[l.position][map] ?? []).map((index) => {
    const position = positionOfIndex.get(index);
    return imageButton(position, `${index} (${images.labels[position]})`);
  }));
}

// The page's own words, for this network.
document.title = `${data.network.title} explorer: draw a digit, watch every map projected`;
$('title').textContent = `${data.network.title.charAt(0).toUpperCase()}${data.network.title.slice(1)} explorer`;
$('map-count').textContent = String(MAP_COUNT);
$('map-count-heading').textContent = String(MAP_COUNT);
$('network-name').textContent = data.network.title;

// The first of the report's digits to start with.
showTestImage(positionOfIndex.get(data.report[0]) ?? 0);
paintPad();
resolveReady();
setTimeout(classifyInBackground, 0);
})();
