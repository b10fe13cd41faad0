"""Writes Tests/Fixtures/explorer-attributions.json: Captum's class-level attributions (issue 25)
for the explorer's tests (Tests/ExplorerTests/network.test.js), which check
Templates/explorer/network.js against them under Node.

Two networks, each as network.js describes networks (the description is written into the file):
- `lenet5-normalised`: the PyTorch-trained LeNet-5 of Tests/Fixtures/lenet5.safetensors (its
  parameters are read from that file, whose SHA-256 is recorded), on inputs normalised with
  mean 0.1307 and std 0.3081 as it was trained; test images 0 (a 7) and 20 (a 9 it takes for a 7).
- `mixed`: seeded random weights, no normalisation: a stride-2 padded convolution, ReLU, an
  overlapping 3 x 3 max-pool of stride 2, a padded convolution, ReLU, a 2 x 2 average pool, a last
  convolution with no ReLU (Grad-CAM then weighs its own output), two linear layers; test image 1.

For the predicted class c of each image, every attribution of log p_c in the network's input
units, as the issue defines them, each by Captum 0.9 on the model in float64 (the inputs are the
float32 values the page computes): in float32, Captum's own gradient of log p_c is off by 0.4 % of
its largest value on a confidently classified image, as 1 - p_c is then the difference of two
nearly equal floats (the script prints how far each float32 picture is from the float64 one):
- gradient: Saliency(abs=False); gradient_x_input: InputXGradient;
- integrated_gradients: IntegratedGradients, method="riemann_trapezoid", n_steps=64, baseline blank
  paper (0 in pixels, normalised), with Captum's convergence delta;
- smoothgrad: NoiseTunnel(Saliency(abs=False)), nt_type="smoothgrad", 32 samples, stdevs = 0.15
  pixels in input units, whose torch.normal is made to return network.js's own noise
  (gaussianNoise(0, 32 * 784), obtained by running node), so that both use the same noise;
- gradcam: LayerGradCam at the last convolution's ReLU (its own output when none follows),
  relu_attributions=True, then LayerAttribution.interpolate(..., "bilinear");
- guided_gradcam: GuidedGradCam at that layer, interpolate_mode="bilinear";
- guided_backprop: GuidedBackprop; deconvnet: Deconvolution;
- occlusion: Occlusion, sliding_window_shapes (1, 7, 7), strides 1, baselines blank paper.
Each picture is stored as { dtype: "F32", shape, data: base64 of little-endian floats }, as the
explorer embeds tensors.

Run from the repository's root (torch, captum, safetensors and node needed):

    /work/venv/bin/python Tests/Fixtures/make_explorer_attribution_fixtures.py

Run again, it writes the same file.
"""
import base64
import gzip
import hashlib
import json
import os
import subprocess
import warnings
from unittest import mock

import captum
import numpy as np
import safetensors.torch
import torch
import torch.nn as nn
from captum.attr import (Deconvolution, GuidedBackprop, GuidedGradCam, InputXGradient, IntegratedGradients, LayerAttribution,
                         LayerGradCam, NoiseTunnel, Occlusion, Saliency)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "explorer-attributions.json")
NETWORK_JS = os.path.join(ROOT, "Templates", "explorer", "network.js")
MEAN, STD = 0.1307, 0.3081
STEPS, SAMPLES, SIGMA, SEED, PATCH, STRIDE = 64, 32, 0.15, 0, 7, 1


def test_images(indices):
    """(bytes, labels) of MNIST test images."""
    with gzip.open(os.path.join(ROOT, "Data", "t10k-images-idx3-ubyte.gz"), "rb") as f:
        images = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(os.path.join(ROOT, "Data", "t10k-labels-idx1-ubyte.gz"), "rb") as f:
        labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)
    return images[indices], labels[indices]


def tensor(array, dtype="F32"):
    array = np.ascontiguousarray(array, dtype=np.float32 if dtype == "F32" else np.uint8)
    return {"dtype": dtype, "shape": list(array.shape), "data": base64.b64encode(array.astype(array.dtype.newbyteorder("<")).tobytes()).decode()}


def chain(kinds, normalization):
    """network.js's description of a 28 x 28 chain, built as Network.init builds it (sizes from
    O = (I + 2P - K) / S + 1, parameters layer by layer, the conv blocks), a log-softmax added."""
    shape, offset, layers = [1, 28, 28], 0, []
    for kind, a in kinds + [("logSoftmax", {})]:
        layer = {"kind": kind}
        if kind == "convolution":
            k, s, p = a["k"], a.get("s", 1), a.get("p", 0)
            layer.update(inChannels=shape[0], outChannels=a["out"], kernel=k, stride=s, padding=p, inputHeight=shape[1],
                         inputWidth=shape[2], outputHeight=(shape[1] + 2 * p - k) // s + 1, outputWidth=(shape[2] + 2 * p - k) // s + 1,
                         offset=offset)
            offset += a["out"] * (shape[0] * k * k + 1)
            shape = [a["out"], layer["outputHeight"], layer["outputWidth"]]
        elif kind in ("maxPool", "averagePool"):
            k, s = a["k"], a.get("s", a["k"])
            layer.update(channels=shape[0], kernel=k, stride=s, inputHeight=shape[1], inputWidth=shape[2],
                         outputHeight=(shape[1] - k) // s + 1, outputWidth=(shape[2] - k) // s + 1)
            shape = [shape[0], layer["outputHeight"], layer["outputWidth"]]
        elif kind == "flatten":
            shape = [int(np.prod(shape))]
        elif kind == "linear":
            layer.update(inFeatures=shape[0], outFeatures=a["out"], offset=offset)
            offset += a["out"] * (shape[0] + 1)
            shape = [a["out"]]
        layer["outputShape"] = list(shape)
        layers.append(layer)
    blocks = []
    for i, layer in enumerate(layers):
        if layer["kind"] != "convolution":
            continue
        end = i
        while end + 1 < len(layers) and layers[end + 1]["kind"] in ("relu", "maxPool", "averagePool"):
            end += 1
        blocks.append({"name": f"conv{len(blocks) + 1}", "layer": i, "outputLayer": end, "maps": layer["outChannels"],
                       "outputShape": layers[end]["outputShape"]})
    return {"imageHeight": 28, "imageWidth": 28, "classes": shape[0], "normalization": normalization, "parameterCount": offset,
            "layers": layers, "convolutionalLayers": blocks}


def module(description, parameters):
    """The description as an nn.Sequential over inputs in the network's units (no normalisation
    inside), with its own nn.ReLU modules, as Captum's GuidedBackprop and Deconvolution need."""
    steps, p = [], torch.from_numpy(np.asarray(parameters, dtype=np.float32))
    for layer in description["layers"]:
        kind = layer["kind"]
        if kind == "convolution":
            conv = nn.Conv2d(layer["inChannels"], layer["outChannels"], layer["kernel"], layer["stride"], layer["padding"])
            n = conv.weight.numel()
            conv.weight.data = p[layer["offset"]:layer["offset"] + n].reshape(conv.weight.shape).clone()
            conv.bias.data = p[layer["offset"] + n:layer["offset"] + n + layer["outChannels"]].clone()
            steps.append(conv)
        elif kind == "linear":
            fc = nn.Linear(layer["inFeatures"], layer["outFeatures"])
            n = fc.weight.numel()
            fc.weight.data = p[layer["offset"]:layer["offset"] + n].reshape(fc.weight.shape).clone()
            fc.bias.data = p[layer["offset"] + n:layer["offset"] + n + layer["outFeatures"]].clone()
            steps.append(fc)
        elif kind == "relu":
            steps.append(nn.ReLU())
        elif kind == "maxPool":
            steps.append(nn.MaxPool2d(layer["kernel"], layer["stride"]))
        elif kind == "averagePool":
            steps.append(nn.AvgPool2d(layer["kernel"], layer["stride"]))
        elif kind == "flatten":
            steps.append(nn.Flatten())
        elif kind == "logSoftmax":
            steps.append(nn.LogSoftmax(dim=1))
    return nn.Sequential(*steps).eval()


def normalise(pixels, normalization):
    """byte / 255, then (x - mean) / std in float32, each operation rounded, as the engine does."""
    x = pixels.astype(np.float32) / np.float32(255)
    if normalization:
        x = (x - np.float32(normalization["mean"])) / np.float32(normalization["std"])
    return x.astype(np.float32)


def page_noise(count):
    """network.js's gaussianNoise(SEED, count), from node: SmoothGrad's noise in both."""
    script = f"process.stdout.write(JSON.stringify(Array.from(require({json.dumps(NETWORK_JS)}).gaussianNoise({SEED}, {count}))))"
    return np.array(json.loads(subprocess.run(["node", "-e", script], check=True, capture_output=True, text=True).stdout))


def attributions(model, description, x, noise):
    """Every method's attribution of log p_c for the predicted class c of x (1, 1, 28, 28)."""
    n = description["normalization"]
    std = n["std"] if n else 1.0
    blank = float(normalise(np.zeros(1, dtype=np.uint8), n)[0])
    with torch.no_grad():
        log_p = model(x)[0]
    c = int(log_p.argmax())
    block = description["convolutionalLayers"][-1]["layer"]
    cam_layer = model[block + 1] if description["layers"][block + 1]["kind"] == "relu" else model[block]

    out = {"gradient": Saliency(model).attribute(x, target=c, abs=False),
           "gradient_x_input": InputXGradient(model).attribute(x, target=c)}
    ig, delta = IntegratedGradients(model).attribute(x, baselines=blank, target=c, n_steps=STEPS, method="riemann_trapezoid",
                                                     return_convergence_delta=True)
    out["integrated_gradients"] = ig

    drawn = []

    def given_noise(mean, stdev):   # Captum's `torch.normal(0, stdev_expanded)`, with the page's noise
        assert mean == 0 and stdev.shape == (SAMPLES, 1, 28, 28)
        drawn.append(stdev.shape)
        return stdev.to(x.dtype) * torch.from_numpy(noise.reshape(stdev.shape)).to(x.dtype)

    with mock.patch("torch.normal", given_noise):
        out["smoothgrad"] = NoiseTunnel(Saliency(model)).attribute(x, nt_type="smoothgrad", nt_samples=SAMPLES, stdevs=SIGMA / std,
                                                                   target=c, abs=False)
    assert len(drawn) == 1, "NoiseTunnel drew its noise once, from the page's"
    cam = LayerGradCam(model, cam_layer).attribute(x, target=c, relu_attributions=True)
    out["gradcam"] = LayerAttribution.interpolate(cam, (28, 28), "bilinear")
    out["guided_gradcam"] = GuidedGradCam(model, cam_layer).attribute(x, target=c, interpolate_mode="bilinear")
    out["guided_backprop"] = GuidedBackprop(model).attribute(x, target=c)
    out["deconvnet"] = Deconvolution(model).attribute(x, target=c)
    out["occlusion"] = Occlusion(model).attribute(x, sliding_window_shapes=(1, PATCH, PATCH), strides=(1, STRIDE, STRIDE),
                                                  baselines=blank, target=c)
    pictures = {name: value.detach().double().numpy().reshape(28, 28) for name, value in out.items()}
    return c, float(log_p[c]), float(delta[0]), cam.shape[2:], pictures


def main():
    warnings.filterwarnings("ignore", category=UserWarning, module="captum")   # "did not already require gradients", "hooks on ReLU"
    torch.manual_seed(0)
    torch.set_num_threads(1)
    noise = page_noise(SAMPLES * 784)
    lenet_kinds = [("convolution", {"out": 6, "k": 5, "p": 2}), ("relu", {}), ("maxPool", {"k": 2}), ("convolution", {"out": 16, "k": 5}),
                   ("relu", {}), ("maxPool", {"k": 2}), ("flatten", {}), ("linear", {"out": 120}), ("relu", {}), ("linear", {"out": 84}),
                   ("relu", {}), ("linear", {"out": 10})]
    mixed_kinds = [("convolution", {"out": 4, "k": 5, "s": 2, "p": 2}), ("relu", {}), ("maxPool", {"k": 3, "s": 2}),
                   ("convolution", {"out": 6, "k": 3, "p": 1}), ("relu", {}), ("averagePool", {"k": 2}),
                   ("convolution", {"out": 5, "k": 2}), ("flatten", {}), ("linear", {"out": 16}), ("relu", {}), ("linear", {"out": 10})]

    networks = []
    path = os.path.join(ROOT, "Tests", "Fixtures", "lenet5.safetensors")
    state = safetensors.torch.load_file(path)
    order = [f"{name}.{part}" for name in ("conv1", "conv2", "fc1", "fc2", "fc3") for part in ("weight", "bias")]
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    lenet = chain(lenet_kinds, {"mean": MEAN, "std": STD})
    networks.append(("lenet5-normalised", lenet, torch.cat([state[k].flatten() for k in order]).numpy(),
                     {"file": "Tests/Fixtures/lenet5.safetensors", "sha256": digest, "order": order}, [0, 20]))
    mixed = chain(mixed_kinds, None)
    generator = torch.Generator().manual_seed(25)
    weights = ((torch.rand(mixed["parameterCount"], generator=generator) * 2 - 1) * 0.5).numpy()
    networks.append(("mixed", mixed, weights, tensor(weights), [1]))

    written = []
    for name, description, parameters, stored, indices in networks:
        model = module(description, parameters)
        pixels, labels = test_images(indices)
        images = []
        for index, image, label in zip(indices, pixels, labels):
            x = torch.from_numpy(normalise(image, description["normalization"]).reshape(1, 1, 28, 28))
            c, log_p, delta, cam_shape, pictures = attributions(model.double(), description, x.double(), noise)
            c32, _, delta32, _, pictures32 = attributions(model.float(), description, x, noise)
            assert c32 == c
            print(f"{name}, test image {index} (label {label}): class {c}, log p {log_p:.4g}, IG convergence delta {delta:.3g} "
                  f"({delta32:.3g} in float32), Grad-CAM map {tuple(cam_shape)}; in float32 Captum is off by, of each picture's "
                  "largest magnitude: " + ", ".join(f"{m} {np.abs(pictures32[m] - v).max() / np.abs(v).max():.1e}" for m, v in pictures.items()))
            images.append({"testIndex": int(index), "label": int(label), "pixels": tensor(image, "U8"), "target": c,
                           "logProbability": log_p, "integratedGradientsDelta": delta,
                           "attributions": {m: tensor(v) for m, v in pictures.items()}})
        written.append({"name": name, "description": description, "parameters": stored, "images": images})

    options = {"steps": STEPS, "samples": SAMPLES, "sigma": SIGMA, "seed": SEED, "patch": PATCH, "stride": STRIDE}
    with open(OUT, "w") as f:
        json.dump({"made": "Tests/Fixtures/make_explorer_attribution_fixtures.py", "torch": torch.__version__,
                   "captum": captum.__version__, "options": options, "networks": written}, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT, ROOT)} ({os.path.getsize(OUT):,} bytes)")


if __name__ == "__main__":
    main()
