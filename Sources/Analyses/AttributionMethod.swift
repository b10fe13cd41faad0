/// The ways `ClassAttributions` explains a network's decision: what each pixel of the input did
/// for the log-probability of the predicted class. The raw values are the export's names.
public enum AttributionMethod: String, CaseIterable, Sendable, Hashable {
    /// ∂ log p_c / ∂x, signed (Captum's `Saliency(abs=False)`).
    case gradient
    /// The gradient times the input (Captum's `InputXGradient`).
    case gradientXInput = "gradient_x_input"
    /// Integrated Gradients from the blank image, Captum's 64-step Riemann trapezoid.
    case integratedGradients = "integrated_gradients"
    /// The mean gradient over 32 noisy copies.
    case smoothGrad = "smoothgrad"
    /// Grad-CAM at the last convolutional layer's rectified output, upsampled bilinearly.
    case gradCAM = "gradcam"
    /// Guided backpropagation times the upsampled Grad-CAM map.
    case guidedGradCAM = "guided_gradcam"
    /// The gradient with every ReLU passing only positive signal where it was open.
    case guidedBackprop = "guided_backprop"
    /// The gradient with every ReLU rectifying the signal, whatever the forward pass did.
    case deconvnet
    /// The mean drop in log p_c when a 7×7 square of blank paper covers the pixel.
    case occlusion

    /// How figures and tables name the method.
    public var title: String {
        switch self {
        case .gradient: "gradient"
        case .gradientXInput: "gradient × input"
        case .integratedGradients: "Integrated Gradients"
        case .smoothGrad: "SmoothGrad"
        case .gradCAM: "Grad-CAM"
        case .guidedGradCAM: "guided Grad-CAM"
        case .guidedBackprop: "guided backprop."
        case .deconvnet: "deconvnet"
        case .occlusion: "occlusion"
        }
    }

    /// How the prose names it.
    public var name: String { self == .guidedBackprop ? "guided backpropagation" : title }
}
