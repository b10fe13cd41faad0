"""Writes the ONNX fixtures of `report --weights FILE.onnx` (issue 24) into Tests/Fixtures/onnx/:
small networks with seeded random weights, exported by PyTorch's two ONNX exporters, each beside
the framework's own outputs; graphs that the reader must refuse; and, when the Keras script has
run first, the projections of the Keras LeNet-5.

Run from the repository's root, with torch, numpy, onnx, onnxscript and safetensors installed:

    /work/venv-tf/bin/python Tests/Fixtures/make_keras_onnx_fixture.py   # optional, first
    /work/venv/bin/python Tests/Fixtures/make_onnx_fixtures.py

Accepted (NAME-dynamo.onnx from the default exporter, which writes the weights into
NAME-dynamo.onnx.data; NAME-legacy.onnx from dynamo=False, which folds BatchNorm into the
convolution and names the folded weights onnx::Conv_NN):
- lenet5        LeNet-5 exactly as in the PyTorch yardstick (shared/anchors/torch_lenet.py: max-pools
                with return_indices), metadata_props input_mean 0.1307 and input_std 0.3081
- strided       conv 8@3×3 stride 2 pad 1, BatchNorm2d (running statistics not 0 and 1), ReLU,
                AvgPool 2, conv 16@3×3, ReLU, MaxPool 3 stride 2, Dropout, flatten, Linear 64 → 32,
                ReLU, Linear 32 → 10, logits; the default export with a symbolic batch; and
                strided-unoptimized.onnx, the default exporter with optimize=False, which keeps the
                BatchNormalization node and computes the flatten's shape from the input's Shape
- sequential    an nn.Sequential of features and classifier: conv 4@5×5, ReLU, MaxPool 3 stride 3,
                conv 8@3×3, ReLU, conv 6@1×1, ReLU, flatten, Linear 216 → 10, Softmax
- mnist-example PyTorch's MNIST example network (conv 32@3×3, conv 64@3×3, MaxPool 2, Dropout,
                fc 9216 → 128 → 10, log_softmax), default exporter only (4.8 MB of weights)
Each NAME-EXPORTER.expected.safetensors holds `logprobs` (8, classes) for the first eight MNIST test
images as float32(byte) / 255 (normalised where the model's metadata says so), and
`{gradient,deconvnet,guided}.conv{l}` (maps, 1, 28, 28), both computed in float64 and rounded: for the first image, the input-gradient of
sum(seed ⊙ block output) for each map's seed, with each ReLU's backward by the rule; and
`{rule}.conv{l}.float32_deviation` (maps): how far PyTorch's own float32 computation of each of
those pictures is from the float64 one, as a fraction of the picture's largest magnitude.

Refused: skip-connection, sigmoid, grouped-convolution, input-32x32, input-3-channels (legacy
exports), truncated.onnx (the first half of lenet5-legacy.onnx), foreign.png and foreign.txt,
escaping-data.onnx (lenet5-dynamo.onnx whose external data location is ../lenet5-dynamo.onnx.data),
short-data.onnx (its first initializer's offset past the end of the data file).

Written with onnx.helper (handmade()): handmade.onnx, accepted, with what the exporters do not
write (a channels-last input transposed, Conv without bias + Add, auto_pad SAME_UPPER, Dropout,
a Shape → Gather → Unsqueeze → Concat flatten after a Transpose to channels-last, Gemm with
transB 0, alpha 0.5 and beta 2, BatchNormalization after the Gemm, MatMul without bias, Identity),
its log-probabilities from onnx's reference evaluator (no projections: no PyTorch twin); and
rectangular-kernel, asymmetric-pads, dilated, ceil-mode, pool-padding and batchnorm-after-pool,
to refuse.
"""
import copy
import json
import os
import shutil
import warnings

import numpy as np
import onnx
import onnx.reference
import torch
import torch.nn as nn
import torch.nn.functional as F

from onnx_reference import MEAN, OUT, STD, reference, save_expected, test_images, with_deviation

warnings.filterwarnings("ignore")
SEED = 24


class LeNet5(nn.Module):
    """shared/anchors/torch_lenet.py's LeNet5, as it is there."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.pool1 = nn.MaxPool2d(2, 2, return_indices=True)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.pool2 = nn.MaxPool2d(2, 2, return_indices=True)
        self.fc1 = nn.Linear(400, 120); self.fc2 = nn.Linear(120, 84); self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x, self.s1 = self.pool1(F.relu(self.conv1(x)))
        self.p1 = x
        x, self.s2 = self.pool2(F.relu(self.conv2(x)))
        self.p2 = x
        x = x.flatten(1)
        return F.log_softmax(self.fc3(F.relu(self.fc2(F.relu(self.fc1(x))))), 1)

    def steps(self):
        pool = lambda x: F.max_pool2d(x, 2, 2)
        return [self.conv1, "relu", pool, self.conv2, "relu", pool, lambda x: x.flatten(1),
                self.fc1, "relu", self.fc2, "relu", self.fc3], [2, 5]


class Strided(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, stride=2, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.pool1 = nn.AvgPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, 3)
        self.pool2 = nn.MaxPool2d(3, stride=2)
        self.drop = nn.Dropout(0.3)
        self.fc1 = nn.Linear(64, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = self.pool1(F.relu(self.bn1(self.conv1(x))))
        x = self.drop(self.pool2(F.relu(self.conv2(x))))
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))

    def steps(self):
        return [lambda x: self.bn1(self.conv1(x)), "relu", self.pool1, self.conv2, "relu", self.pool2,
                lambda x: torch.flatten(x, 1), self.fc1, "relu", self.fc2], [2, 5]


class SequentialNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 4, 5), nn.ReLU(), nn.MaxPool2d(3, 3), nn.Conv2d(4, 8, 3), nn.ReLU(),
                                      nn.Conv2d(8, 6, 1), nn.ReLU())
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(216, 10), nn.Softmax(dim=1))

    def forward(self, x):
        return self.classifier(self.features(x))

    def steps(self):
        f, c = self.features, self.classifier
        return [f[0], "relu", f[2], f[3], "relu", f[5], "relu", c[0], c[1]], [2, 4, 6]


class MNISTExample(nn.Module):
    """shared/anchors/torch_mnist_example.py's Net."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = self.dropout1(F.max_pool2d(x, 2))
        x = self.dropout2(F.relu(self.fc1(torch.flatten(x, 1))))
        return F.log_softmax(self.fc2(x), dim=1)

    def steps(self):
        return [self.conv1, "relu", self.conv2, "relu", lambda x: F.max_pool2d(x, 2), lambda x: torch.flatten(x, 1),
                self.fc1, "relu", self.fc2], [1, 4]


# Networks to refuse.
class SkipConnection(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 28 * 28, 10)

    def forward(self, x):
        y = F.relu(self.conv1(x))
        y = y + F.relu(self.conv2(y))
        return self.fc(torch.flatten(y, 1))


class WithSigmoid(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 5)
        self.fc = nn.Linear(4 * 12 * 12, 10)

    def forward(self, x):
        return self.fc(torch.flatten(F.max_pool2d(torch.sigmoid(self.conv1(x)), 2), 1))


class Grouped(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3)
        self.conv2 = nn.Conv2d(4, 8, 3, groups=2)
        self.fc = nn.Linear(8 * 24 * 24, 10)

    def forward(self, x):
        return self.fc(torch.flatten(F.relu(self.conv2(F.relu(self.conv1(x)))), 1))


class Small(nn.Module):
    """conv 4@5×5 → ReLU → max-pool 2 → linear, for inputs of any size and channel count."""

    def __init__(self, channels, side):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 4, 5)
        self.fc = nn.Linear(4 * ((side - 4) // 2) ** 2, 10)

    def forward(self, x):
        return self.fc(torch.flatten(F.max_pool2d(F.relu(self.conv1(x)), 2), 1))


def seeded(cls, *args):
    torch.manual_seed(SEED)
    model = cls(*args)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):  # running statistics and affine parameters far from 0 and 1
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.3, 0.3)
    return model.eval()


def export(model, name, exporter, side=28, channels=1, dynamic_batch=False):
    """Exports to OUT/NAME-EXPORTER.onnx; returns its path."""
    path = os.path.join(OUT, f"{name}-{exporter}.onnx")
    for old in (path, path + ".data"):
        if os.path.exists(old):
            os.remove(old)
    x = torch.zeros(1, channels, side, side)
    if exporter in ("dynamo", "unoptimized"):
        shapes = ({0: torch.export.Dim("batch", min=1, max=1024)},) if dynamic_batch else None
        torch.onnx.export(model, (x,), path, dynamo=True, dynamic_shapes=shapes, optimize=exporter == "dynamo")
    else:
        axes = {"input": {0: "batch"}, "output": {0: "batch"}} if dynamic_batch else None
        torch.onnx.export(model, (x,), path, dynamo=False, input_names=["input"], output_names=["output"], dynamic_axes=axes)
    return path


def add_metadata(path, metadata):
    """Adds metadata_props without touching the external data."""
    m = onnx.load(path, load_external_data=False)
    for k, v in metadata.items():
        p = m.metadata_props.add()
        p.key, p.value = k, str(v)
    onnx.save(m, path)


def check_export(path, model, images):
    """The ONNX file run by onnx's reference evaluator gives PyTorch's outputs."""
    session = onnx.reference.ReferenceEvaluator(path)
    name = session.input_names[0]
    with torch.no_grad():
        want = model(torch.from_numpy(images))
        want = want[0] if isinstance(want, tuple) else want
    for i in range(len(images)):
        got = session.run(None, {name: images[i:i + 1]})[0]
        assert np.allclose(got, want[i:i + 1].numpy(), atol=1e-5), (path, np.abs(got - want[i:i + 1].numpy()).max())


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    images = test_images()
    normalised = (images - np.float32(MEAN)) / np.float32(STD)
    summary = {"torch": torch.__version__, "onnx": onnx.__version__, "seed": SEED, "fixtures": {}}

    accepted = [
        ("lenet5", seeded(LeNet5), ("dynamo", "legacy"), {"input_mean": MEAN, "input_std": STD}, {}),
        ("strided", seeded(Strided), ("dynamo", "legacy", "unoptimized"), {}, {"dynamo": True, "unoptimized": True}),
        ("sequential", seeded(SequentialNet), ("dynamo", "legacy"), {}, {"legacy": True}),
        ("mnist-example", seeded(MNISTExample), ("dynamo",), {}, {}),
    ]
    for name, model, exporters, metadata, dynamic in accepted:
        steps, blocks = copy.deepcopy(model).double().steps()
        inputs = normalised if metadata else images
        expected = with_deviation(reference(steps, blocks, inputs), reference(model.steps()[0], blocks, inputs, torch.float32))
        for exporter in exporters:
            path = export(model, name, exporter, dynamic_batch=dynamic.get(exporter, False))
            if metadata:
                add_metadata(path, metadata)
            check_export(path, model, inputs)
            save_expected(f"{name}-{exporter}", expected, {"torch": torch.__version__, "exporter": exporter,
                                                            "normalised": bool(metadata)})
            summary["fixtures"][f"{name}-{exporter}"] = {
                "files": sorted(f for f in os.listdir(OUT) if f.startswith(f"{name}-{exporter}.")),
                "parameters": sum(p.numel() for p in model.parameters()),
                "predictions": expected["logprobs"].argmax(1).tolist(),
            }

    for name, model, side, channels in [("skip-connection", seeded(SkipConnection), 28, 1), ("sigmoid", seeded(WithSigmoid), 28, 1),
                                        ("grouped-convolution", seeded(Grouped), 28, 1),
                                        ("input-32x32", seeded(Small, 1, 32), 32, 1), ("input-3-channels", seeded(Small, 3, 28), 28, 3)]:
        export(model, name, "legacy", side=side, channels=channels)

    with open(os.path.join(OUT, "lenet5-legacy.onnx"), "rb") as f:
        whole = f.read()
    with open(os.path.join(OUT, "truncated.onnx"), "wb") as f:
        f.write(whole[:len(whole) // 2])
    # A PNG's signature and IHDR chunk, and a line of text.
    png = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55")
    with open(os.path.join(OUT, "foreign.png"), "wb") as f:
        f.write(png)
    with open(os.path.join(OUT, "foreign.txt"), "w") as f:
        f.write("conv1.weight: not a model, just a line of text\n")

    m = onnx.load(os.path.join(OUT, "lenet5-dynamo.onnx"), load_external_data=False)
    for tensor in m.graph.initializer:
        for entry in tensor.external_data:
            if entry.key == "location":
                entry.value = "../" + entry.value
    onnx.save(m, os.path.join(OUT, "escaping-data.onnx"))
    m = onnx.load(os.path.join(OUT, "lenet5-dynamo.onnx"), load_external_data=False)
    size = os.path.getsize(os.path.join(OUT, "lenet5-dynamo.onnx.data"))
    for entry in m.graph.initializer[0].external_data:
        if entry.key == "offset":
            entry.value = str(size - 16)
        if entry.key == "location":
            entry.value = "lenet5-dynamo.onnx.data"
    onnx.save(m, os.path.join(OUT, "short-data.onnx"))

    handmade()

    # The Keras LeNet-5's projections, from its weights saved by make_keras_onnx_fixture.py.
    keras_weights = "/tmp/keras_lenet5_weights.npz"
    if os.path.exists(keras_weights):
        keras_expected(np.load(keras_weights), images)
        summary["fixtures"]["keras-lenet5"] = {"from": "make_keras_onnx_fixture.py"}

    with open(os.path.join(OUT, "fixtures.json"), "w") as f:
        json.dump(summary, f, indent=2, sort_keys=True)
        f.write("\n")
    print(json.dumps(summary, indent=2, sort_keys=True))


def keras_expected(w, images):
    """The Keras LeNet-5 rebuilt in PyTorch from its weights (kernels (K, K, Cin, Cout) → (Cout, Cin, K, K);
    Dense (in, out) → (out, in), the first one's inputs from Keras's (H, W, C) flatten order to (C, H, W)):
    its log-probabilities must be TensorFlow's; the projections are added to keras-lenet5.expected.safetensors."""
    import safetensors.numpy
    def twin(dtype):
        t = lambda a: torch.from_numpy(np.ascontiguousarray(a)).to(dtype)
        conv1, conv2 = nn.Conv2d(1, 6, 5, padding=2), nn.Conv2d(6, 16, 5)
        fc1, fc2, fc3 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)
        conv1.weight.data, conv1.bias.data = t(w["conv1_kernel"].transpose(3, 2, 0, 1)), t(w["conv1_bias"])
        conv2.weight.data, conv2.bias.data = t(w["conv2_kernel"].transpose(3, 2, 0, 1)), t(w["conv2_bias"])
        k = w["fc1_kernel"].reshape(5, 5, 16, 120).transpose(2, 0, 1, 3).reshape(400, 120)
        fc1.weight.data, fc1.bias.data = t(k.T), t(w["fc1_bias"])
        fc2.weight.data, fc2.bias.data = t(w["fc2_kernel"].T), t(w["fc2_bias"])
        fc3.weight.data, fc3.bias.data = t(w["fc3_kernel"].T), t(w["fc3_bias"])
        pool = lambda x: F.max_pool2d(x, 2, 2)
        return [conv1, "relu", pool, conv2, "relu", pool, lambda x: x.flatten(1), fc1, "relu", fc2, "relu", fc3]
    expected = with_deviation(reference(twin(torch.float64), [2, 5], images), reference(twin(torch.float32), [2, 5], images, torch.float32))
    path = os.path.join(OUT, "keras-lenet5.expected.safetensors")
    keras = safetensors.numpy.load_file(path)
    difference = np.abs(keras["logprobs"] - expected["logprobs"]).max()
    assert difference < 1e-5, f"the PyTorch twin of the Keras LeNet-5 differs from TensorFlow by {difference}"
    expected["logprobs"] = keras["logprobs"]
    save_expected("keras-lenet5", expected, {"logprobs": "TensorFlow's", "projections": "PyTorch's, of the same weights",
                                            "twin_difference": f"{difference:.3g}"})



def handmade():
    """Graphs written with onnx.helper for what the exporters above do not write, each checked
    against onnx's reference evaluator: handmade.onnx (accepted) and six small graphs to refuse."""
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(SEED)
    w = lambda name, *shape: numpy_helper.from_array(rng.normal(0, 0.3, shape).astype(np.float32), name)
    i64 = lambda name, values: numpy_helper.from_array(np.array(values, dtype=np.int64), name)

    # Channels-last input transposed, Conv without bias + Add of a (C, 1, 1) bias, auto_pad SAME_UPPER,
    # a strided Conv, Dropout, AveragePool, Transpose to channels-last and a Shape → Gather → Unsqueeze →
    # Concat flatten, Gemm with transB 0, alpha and beta, a BatchNormalization after it, MatMul without
    # bias, Identity, Softmax over axis -1.
    nodes = [
        helper.make_node("Transpose", ["image"], ["nchw"], name="/input/Transpose", perm=[0, 3, 1, 2]),
        helper.make_node("Conv", ["nchw", "conv1.kernel"], ["c1"], name="/conv1/Conv", auto_pad="SAME_UPPER", kernel_shape=[3, 3]),
        helper.make_node("Add", ["c1", "conv1.shift"], ["c1b"], name="/conv1/Add"),
        helper.make_node("Relu", ["c1b"], ["r1"], name="/relu1/Relu"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="/pool1/MaxPool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "conv2.kernel", "conv2.offset"], ["c2"], name="/conv2/Conv", strides=[2, 2], pads=[0, 0, 0, 0]),
        helper.make_node("Dropout", ["c2"], ["d2"], name="/drop/Dropout"),
        helper.make_node("Relu", ["d2"], ["r2"], name="/relu2/Relu"),
        helper.make_node("AveragePool", ["r2"], ["p2"], name="/pool2/AveragePool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Transpose", ["p2"], ["nhwc"], name="/flatten/Transpose", perm=[0, 2, 3, 1]),
        helper.make_node("Shape", ["p2"], ["shape"], name="/flatten/Shape"),
        helper.make_node("Gather", ["shape", "zero"], ["batch"], name="/flatten/Gather", axis=0),
        helper.make_node("Unsqueeze", ["batch", "zero1"], ["batch1"], name="/flatten/Unsqueeze"),
        helper.make_node("Concat", ["batch1", "minus1"], ["target"], name="/flatten/Concat", axis=0),
        helper.make_node("Reshape", ["nhwc", "target"], ["flat"], name="/flatten/Reshape"),
        helper.make_node("Gemm", ["flat", "fc1.kernel", "fc1.offset"], ["g1"], name="/fc1/Gemm", alpha=0.5, beta=2.0, transB=0),
        helper.make_node("BatchNormalization", ["g1", "bn.scale", "bn.shift", "bn.mean", "bn.var"], ["b1"], name="/bn/BatchNormalization", epsilon=1e-3),
        helper.make_node("Relu", ["b1"], ["r3"], name="/relu3/Relu"),
        helper.make_node("MatMul", ["r3", "fc2.kernel"], ["m2"], name="/fc2/MatMul"),
        helper.make_node("Identity", ["m2"], ["i2"], name="/out/Identity"),
        helper.make_node("Softmax", ["i2"], ["probabilities"], name="/out/Softmax", axis=-1),
    ]
    initializers = [
        w("conv1.kernel", 4, 1, 3, 3), w("conv1.shift", 4, 1, 1), w("conv2.kernel", 6, 4, 3, 3), w("conv2.offset", 6),
        i64("zero", 0), i64("zero1", [0]), i64("minus1", [-1]), w("fc1.kernel", 54, 20), w("fc1.offset", 20),
        numpy_helper.from_array(rng.uniform(0.5, 1.5, 20).astype(np.float32), "bn.scale"), w("bn.shift", 20), w("bn.mean", 20),
        numpy_helper.from_array(rng.uniform(0.5, 2.0, 20).astype(np.float32), "bn.var"), w("fc2.kernel", 20, 10),
    ]
    graph = helper.make_graph(nodes, "handmade", [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 28, 28, 1])],
                              [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 10])], initializers)
    # Opset 15: the reference evaluator's BatchNormalization of opsets 9 to 13 mixes in the batch's own statistics.
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)], producer_name="onnx.helper", producer_version=onnx.__version__)
    onnx.checker.check_model(model)
    path = os.path.join(OUT, "handmade.onnx")
    onnx.save(model, path)
    images = test_images().transpose(0, 2, 3, 1).copy()
    probabilities = onnx.reference.ReferenceEvaluator(path).run(None, {"image": images})[0]
    save_expected("handmade", {"logprobs": np.log(probabilities.astype(np.float64)).astype(np.float32)},
                  {"reference": f"onnx {onnx.__version__} reference evaluator"})

    def small(name, conv=None, pool=None, extra=None):
        """input → Conv → Relu → MaxPool → [extra] → Flatten → Gemm → Softmax, with attributes changed."""
        conv_attributes = {"kernel_shape": [3, 3], "pads": [0, 0, 0, 0], **(conv or {})}
        kernel = conv_attributes.pop("weights", (4, 1, 3, 3))
        pool_attributes = {"kernel_shape": [2, 2], "strides": [2, 2], **(pool or {})}
        nodes = [helper.make_node("Conv", ["x", "W"], ["c"], name="/conv/Conv", **conv_attributes),
                 helper.make_node("Relu", ["c"], ["r"], name="/relu/Relu"),
                 helper.make_node("MaxPool", ["r"], ["p"], name="/pool/MaxPool", **pool_attributes)]
        last = "p"
        if extra:
            nodes += extra
            last = extra[-1].output[0]
        nodes += [helper.make_node("Flatten", [last], ["f"], name="/flatten/Flatten"),
                  helper.make_node("Gemm", ["f", "B"], ["g"], name="/fc/Gemm", transB=1),
                  helper.make_node("Softmax", ["g"], ["y"], name="/out/Softmax", axis=1)]
        features = {"rectangular-kernel": 4 * 13 * 12, "asymmetric-pads": 4 * 13 * 13, "ceil-mode": 4 * 13 * 13, "dilated": 4 * 12 * 12}.get(name, 4 * 13 * 13)
        inits = [w("W", *kernel), w("B", 10, features)]
        if extra:
            inits += [w(n, 4) for n in ("s", "b", "m")] + [numpy_helper.from_array(np.ones(4, np.float32), "v")]
        graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 28, 28])],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])], inits)
        onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), os.path.join(OUT, f"{name}.onnx"))

    small("rectangular-kernel", conv={"kernel_shape": [3, 5], "weights": (4, 1, 3, 5)})
    small("asymmetric-pads", conv={"pads": [1, 1, 0, 0]})
    small("dilated", conv={"dilations": [2, 2]})
    small("ceil-mode", pool={"ceil_mode": 1})
    small("pool-padding", pool={"pads": [1, 1, 1, 1]})
    small("batchnorm-after-pool", extra=[helper.make_node("BatchNormalization", ["p", "s", "b", "m", "v"], ["n"], name="/bn/BatchNormalization")])


if __name__ == "__main__":
    main()
