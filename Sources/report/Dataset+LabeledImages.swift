import LeNet
import MNIST

extension Dataset: LabeledImages {}
