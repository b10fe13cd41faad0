// Appended to the explorer page by ExplorerTests: calls window.reportExplorer and the page's own
// controls, then writes what it found into the page, as base64 of JSON, for the test to read from
// Chromium's --dump-dom. window.harnessConfig says which test images to project and whether to
// do the long part (every image and projection) or only look at the page.
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
  const maps = [...Array(6).keys()].map((m) => ['conv1', m]).concat([...Array(16).keys()].map((m) => ['conv2', m]));
  try {
    const api = window.reportExplorer;
    await api.ready;
    result.readyMs = performance.now();
    result.count = api.testImageCount;

    if (window.harnessConfig.full) {
      // Every embedded image's probabilities.
      const probabilities = new Float32Array(10 * api.testImageCount), indices = [], labels = [];
      for (let i = 0; i < api.testImageCount; i++) {
        const image = api.testImage(i);
        indices.push(image.index);
        labels.push(image.label);
        probabilities.set(api.predict(image.pixels), 10 * i);
      }
      Object.assign(result, { indices, labels, probabilities: floats(probabilities) });

      // The chosen images' projections: image by image, mode, rule, then the 22 maps.
      const position = new Map(indices.map((index, i) => [index, i]));
      const chosen = window.harnessConfig.project, pictures = [];
      for (const index of chosen) {
        const pixels = api.testImage(position.get(index)).pixels;
        for (const mode of ['whole-map', 'strongest']) {
          for (const rule of ['gradient', 'deconvnet', 'guided']) {
            for (const [layer, map] of maps) pictures.push(api.project(pixels, { layer, map, rule, mode }));
          }
        }
      }
      const projections = new Float32Array(784 * pictures.length);
      pictures.forEach((p, k) => projections.set(p, 784 * k));
      result.projections = floats(projections);
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

    // Timing, on the drawn digit: the page's own update (its forward pass and 22 projections,
    // as it reports them) for each rule in turn, and 22 calls of project() (each with its own
    // forward pass).
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
    for (let k = 0; k < 15; k++) {
      const start = performance.now();
      for (const [layer, map] of maps) api.project(drawn, { layer, map, rule: 'guided', mode: 'whole-map' });
      calls.push(performance.now() - start);
    }
    result.timing = {
      forwardMs: median(updates.map((u) => u.forward)), projectionsMs: median(updates.map((u) => u.projections)),
      updateMs: median(updates.map((u) => u.whole)), apiCallsMs: median(calls),
    };

    // Undo leaves an empty drawing; a card opens its map's details.
    $('undo').click();
    result.drawing.inkAfterUndo = api.input().reduce((a, b) => a + b, 0);
    document.querySelectorAll('#conv2-cards .card')[15].click();
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
    const input = $('input'), inputBox = input.getBoundingClientRect();
    input.dispatchEvent(new PointerEvent('pointermove', {
      bubbles: true, clientX: inputBox.left + 14.5 / 28 * inputBox.width, clientY: inputBox.top + 10.5 / 28 * inputBox.height,
    }));
    result.tooltip = { text: $('tooltip').hidden ? '' : $('tooltip').textContent, value: api.input()[10 * 28 + 14] };

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
