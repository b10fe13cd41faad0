"""Writes the Keras fixture of the ONNX reader (issue 24): a Keras LeNet-5 with seeded random
weights, converted with tf2onnx, and TensorFlow's own log-probabilities of the first eight MNIST
test images (float32(byte) / 255, channels last). Run it first, in a virtual environment with
tensorflow-cpu, tf2onnx and safetensors (TensorFlow pins its own numpy and protobuf), then
make_onnx_fixtures.py, which adds the projections computed by a PyTorch twin of these weights
(after checking that the twin gives TensorFlow's log-probabilities):

    /work/venv-tf/bin/python Tests/Fixtures/make_keras_onnx_fixture.py
    /work/venv/bin/python Tests/Fixtures/make_onnx_fixtures.py

Written into Tests/Fixtures/onnx/: keras-lenet5.onnx, keras-lenet5.expected.safetensors
(`logprobs` (8, 10); its metadata records the versions), and /tmp/keras_lenet5_weights.npz (not a fixture).

The network: input (28, 28, 1), Conv2D 6@5×5 'same' relu, MaxPooling2D, Conv2D 16@5×5 'valid' relu,
MaxPooling2D, Flatten, Dense 120 relu, Dense 84 relu, Dense 10 softmax; Keras's default layer
names; Glorot-uniform kernels and, so that biases count, biases uniform in ±0.1.
"""
import gzip
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import safetensors.numpy
import tensorflow as tf
import tf2onnx
import keras

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "onnx")
SEED = 24


def test_images(count=8):
    with gzip.open(os.path.join(ROOT, "Data", "t10k-images-idx3-ubyte.gz"), "rb") as f:
        raw = f.read()
    pixels = np.frombuffer(raw, dtype=np.uint8, offset=16, count=count * 784).reshape(count, 1, 28, 28)
    return pixels.astype(np.float32) / np.float32(255)


def main():
    keras.utils.set_random_seed(SEED)
    L = keras.layers
    model = keras.Sequential([
        keras.Input((28, 28, 1), name="input"),
        L.Conv2D(6, 5, padding="same", activation="relu"), L.MaxPooling2D(),
        L.Conv2D(16, 5, padding="valid", activation="relu"), L.MaxPooling2D(),
        L.Flatten(), L.Dense(120, activation="relu"), L.Dense(84, activation="relu"), L.Dense(10, activation="softmax"),
    ])
    rng = np.random.default_rng(SEED)
    for layer in model.layers:
        if layer.weights:
            kernel, bias = layer.get_weights()
            layer.set_weights([kernel, rng.uniform(-0.1, 0.1, bias.shape).astype(np.float32)])

    path = os.path.join(OUT, "keras-lenet5.onnx")
    spec = (tf.TensorSpec((None, 28, 28, 1), tf.float32, name="input"),)
    function = tf.function(lambda x: model(x, training=False))
    tf2onnx.convert.from_function(function, input_signature=spec, opset=17, output_path=path)

    images = test_images().transpose(0, 2, 3, 1)  # channels last
    probabilities = model(images, training=False).numpy()
    logprobs = np.log(probabilities.astype(np.float64)).astype(np.float32)
    versions = {"tensorflow": tf.__version__, "keras": keras.__version__, "tf2onnx": tf2onnx.__version__}
    safetensors.numpy.save_file({"logprobs": np.ascontiguousarray(logprobs)},
                                os.path.join(OUT, "keras-lenet5.expected.safetensors"),
                                metadata={"about": "; ".join(f"{k}: {v}" for k, v in sorted(versions.items()))})
    weighted = [layer for layer in model.layers if layer.weights]
    names = ["conv1", "conv2", "fc1", "fc2", "fc3"]
    np.savez("/tmp/keras_lenet5_weights.npz", **{f"{n}_{part}": w for n, layer in zip(names, weighted)
                                                 for part, w in zip(("kernel", "bias"), layer.get_weights())})
    print(versions, "layers", [layer.name for layer in weighted], "predictions", logprobs.argmax(1).tolist())


if __name__ == "__main__":
    main()
