// Appended to the explorer page by ExplorerTests: calls window.reportExplorer and the page's own
// controls, then writes what it found into the page, as base64 of JSON, for the test to read from
// Chromium's --dump-dom. window.harnessConfig says which test images to project and whether to
// do the long part (every image and projection) or only look at the page. It works for any
// network: the maps are the ones reportExplorer.layers lists.
(async () => {
  const result = { errors: window.harnessErrors };
  const $ = (id) => document.getElementById(id);
  const base64 = (bytes) => {
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  };
  const floats = (array) => base64(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  const argmax = (values) => values.indexOf(Math.max(...values));
  const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const predicted = () => Number($('probabilities').dataset.predicted);
  try {
    const api = window.reportExplorer;
    await api.ready;
    result.readyMs = performance.now();
    result.count = api.testImageCount;
    result.classes = api.classes;
    result.layers = api.layers.map((l) => l.name);
    const maps = api.layers.flatMap((l) => [...Array(l.maps).keys()].map((m) => [l.name, m]));
    const classes = api.classes, size = api.testImage(0).pixels.length;

    if (window.harnessConfig.full) {
      // Every embedded image's probabilities.
      const probabilities = new Float32Array(classes * api.testImageCount), indices = [], labels = [];
      for (let i = 0; i < api.testImageCount; i++) {
        const image = api.testImage(i);
        indices.push(image.index);
        labels.push(image.label);
        probabilities.set(api.predict(image.pixels), classes * i);
      }
      Object.assign(result, { indices, labels, probabilities: floats(probabilities) });

      // The chosen images' projections: image by image, mode, rule, then every map of every
      // layer; and the gradient of log p(label) for each.
      const position = new Map(indices.map((index, i) => [index, i]));
      const chosen = window.harnessConfig.project, pictures = [], gradients = [], classRules = [];
      for (const index of chosen) {
        const { pixels, label } = api.testImage(position.get(index));
        for (const mode of ['whole-map', 'strongest']) {
          for (const rule of ['gradient', 'deconvnet', 'guided']) {
            for (const [layer, map] of maps) pictures.push(api.project(pixels, { layer, map, rule, mode }));
          }
        }
        gradients.push(api.gradient(pixels, label));
        for (const method of ['guided_backprop', 'deconvnet', 'gradient_x_input']) {
          classRules.push(api.attribute(pixels, method, { target: label }).values);
        }
      }
      const joined = (arrays) => {
        const all = new Float32Array(size * arrays.length);
        arrays.forEach((p, k) => all.set(p, size * k));
        return floats(all);
      };
      result.projections = joined(pictures);
      result.gradients = joined(gradients);
      result.classRules = joined(classRules);
    }

    // A digit drawn with synthetic pen events: a vertical stroke down the middle of the pad.
    const pad = $('pad'), box = pad.getBoundingClientRect();
    const pen = (type, x, y) => pad.dispatchEvent(new PointerEvent(type, {
      bubbles: true, cancelable: true, pointerId: 7, pointerType: 'pen', isPrimary: true, buttons: type === 'pointerup' ? 0 : 1,
      clientX: box.left + x * box.width, clientY: box.top + y * box.height,
    }));
    result.drawing = { before: predicted(), beforeSource: $('input-source').textContent };
    pen('pointerdown', 0.52, 0.15);
    for (let k = 1; k <= 20; k++) pen('pointermove', 0.52 - 0.04 * k / 20, 0.15 + 0.7 * k / 20);
    pen('pointerup', 0.48, 0.85);
    const drawn = api.input();
    Object.assign(result.drawing, {
      after: predicted(), afterSource: $('input-source').textContent,
      computed: argmax(api.predict(drawn)), ink: drawn.reduce((a, b) => a + b, 0),
    });

    // Timing, on the drawn digit: the page's own update (its forward pass and every map's
    // projection, as it reports them) for each rule in turn, and a call of project() for every
    // map (each with its own forward pass).
    const updates = [];
    for (let k = 0; k < 15; k++) {
      const radio = document.querySelector(`input[name=rule][value=${['gradient', 'guided', 'deconvnet'][k % 3]}]`);
      radio.checked = true;
      const start = performance.now();
      radio.dispatchEvent(new Event('change', { bubbles: true }));
      const whole = performance.now() - start;
      updates.push({ forward: Number($('timing').dataset.forwardMs), projections: Number($('timing').dataset.projectionsMs), whole });
    }
    const calls = [];
    for (let k = 0; k < (maps.length > 30 ? 3 : 15); k++) {   // each call its own forward pass: fewer for a large network
      const start = performance.now();
      for (const [layer, map] of maps) api.project(drawn, { layer, map, rule: 'guided', mode: 'whole-map' });
      calls.push(performance.now() - start);
    }
    result.timing = {
      forwardMs: median(updates.map((u) => u.forward)), projectionsMs: median(updates.map((u) => u.projections)),
      updateMs: median(updates.map((u) => u.whole)), apiCallsMs: median(calls),
      fastestMs: Math.min(...updates.map((u) => u.forward + u.projections)), maps: maps.length,
    };

    // Each attribution method on the drawn digit, each call its own forward pass: the quick ones
    // the median of three calls, the long ones once. For a large network the long ones run with
    // fewer passes (IG 4 steps, SmoothGrad 2 copies, occlusion a 22 × 22 patch at 49 places),
    // and the time is scaled up by the passes they left out.
    const fewer = {
      integrated_gradients: [{ steps: 4 }, 16], smoothgrad: [{ samples: 2 }, 16],
      occlusion: [{ patch: 22 }, (Math.sqrt(size) - 6) ** 2 / 49],   // a square image
    };
    const long = ['integrated_gradients', 'smoothgrad', 'occlusion'], large = maps.length > 30;
    result.attributionTiming = {};
    for (const method of api.attributionMethods) {
      const [options, scale] = large && fewer[method] ? fewer[method] : [{}, 1], runs = [];
      for (let k = 0; k < (long.includes(method) ? 1 : 3); k++) {
        const start = performance.now();
        api.attribute(drawn, method, options);
        runs.push(performance.now() - start);
      }
      result.attributionTiming[method] = { ms: median(runs) * scale, scaled: scale !== 1 };
    }

    // Undo leaves an empty drawing; a card opens its map's details.
    $('undo').click();
    result.drawing.inkAfterUndo = api.input().reduce((a, b) => a + b, 0);
    const lastLayer = [...document.querySelectorAll('#layers .layer')].pop();
    [...lastLayer.querySelectorAll('.card')].pop().click();
    result.detailHeading = $('detail-heading').textContent;
    result.topImages = document.querySelectorAll('#top-images button').length;

    // A top image opens; then “misclassified only” moves on to the next misclassified image (the
    // page classifies the embedded images in the background after it is ready; asked before that
    // is done, as here, it finishes at once, which is the longest wait a reader can have).
    document.querySelector('#top-images button').click();
    result.topImageSource = $('input-source').textContent;
    const tick = performance.now();
    $('misclassified').click();
    result.misclassified = { ms: performance.now() - tick, source: $('input-source').textContent };
    $('misclassified').click();

    // The value under the pointer: row 10, column 14 of the input.
    const input = $('input'), inputBox = input.getBoundingClientRect(), side = input.width;
    input.dispatchEvent(new PointerEvent('pointermove', {
      bubbles: true, clientX: inputBox.left + 14.5 / side * inputBox.width, clientY: inputBox.top + 10.5 / side * inputBox.height,
    }));
    result.tooltip = { text: $('tooltip').hidden ? '' : $('tooltip').textContent, value: api.input()[10 * side + 14] };

    // Section 2 once the page has computed what it computes by itself for its input: the same
    // pictures as attribute() gives, a card for every method, none still faded.
    const shown = await api.attributions();
    let largest = 0;
    for (const [method, { values }] of Object.entries(shown.methods)) {
      const again = api.attribute(shown.pixels, method).values;
      for (let i = 0; i < again.length; i++) largest = Math.max(largest, Math.abs(again[i] - values[i]));
    }
    const figures = [...document.querySelectorAll('#attributions figure')];
    result.attributions = {
      target: shown.target, predicted: argmax(api.predict(shown.pixels)), methods: Object.keys(shown.methods), largestDifference: largest,
      cards: figures.map((f) => f.dataset.method), stale: figures.filter((f) => f.classList.contains('stale')).map((f) => f.dataset.method),
      held: figures.filter((f) => !f.querySelector('button').hidden).map((f) => `${f.dataset.method}: ${f.querySelector('button').textContent}`),
      heading: $('attributions-heading').textContent, completeness: $('completeness').textContent,
      status: $('attribution-status').textContent,
    };

    result.layout = { innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth };
    result.resources = performance.getEntriesByType('resource').map((entry) => entry.name);
  } catch (error) {
    result.errors.push(`harness: ${error} ${error.stack}`);
  }
  const out = document.createElement('pre');
  out.id = 'harness-result';
  out.textContent = base64(new TextEncoder().encode(JSON.stringify(result)));
  document.body.append(out);
  // In a frame (to have a window narrower than headless Chromium's 500 px), tell the page around.
  if (window.parent !== window) window.parent.postMessage(out.textContent, '*');
})();
