import Foundation
import Graphics
import Network
import Testing
import Writeup
@testable import ReportKit

/// The report for a network that is not LeNet-5 (PyTorch's MNIST example, 32 + 64 maps, a block
/// without pooling): every tag resolves, the prose counts from the network and never names
/// LeNet-5 or its counts, and the figures of its many maps are split and legible.
@Suite(.serialized) struct OtherNetworkTests {
    static var run: RunResults { OtherNetworkFixture.run }
    nonisolated(unsafe) static let chapters = ReportChapters(run)

    static func markdown() throws -> String { try markdown(chapters) }

    /// The report's Markdown for `chapters`, cross-references resolved.
    static func markdown(_ chapters: ReportChapters) throws -> String {
        CrossReferences.resolve(try Templates(directory: TemplateTests.templates, sections: ReportChapters.names).render(chapters.context))
    }

    /// The text without its tables, whitespace folded.
    static func prose() throws -> String {
        try markdown().split(separator: "\n").filter { !$0.hasPrefix("|") }.joined(separator: "\n")
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func everyTagResolvesAndNothingIsLeNet5s() throws {
        let markdown = try Self.markdown()
        #expect(!markdown.contains("{{") && !markdown.contains("}}"))
        let text = try Self.prose()
        // (The architecture names the network's own pooling layer pool1, as its table does; no
        // block output is called so.)
        for stale in ["LeNet-5", "pool1 maps", "pool1 unit", "pool1 output", "pool2", "22 maps", "22 feature maps", "all 22", "the 22 ",
                      "sixteen", "six maps", "4×4 corner of conv1", "fc2 output", "its own name follows in brackets"] {
            #expect(!text.contains(stale), "“\(stale)” is LeNet-5's")
        }
    }

    @Test func proseCountsFromTheNetwork() throws {
        let text = try Self.prose()
        let path = OtherNetworkFixture.path
        #expect(!text.contains("Below the top layer every ReLU is followed directly by a max-pool"), "conv1's block has no pooling")
        for phrase in ["# A convolutional network on MNIST, seen through a deconvnet",
                       "What the two convolutional layers of a small network learned",
                       "The network read from `\(path)` reaches", "maps the 96 feature maps of its two convolutional layers",
                       "The network read from `\(path)`: two convolutional layers and two fully connected layers, 1,199,882 parameters in all",
                       "conv1 has no padding and shrinks the 28×28 input: (28 − 3) / 1 + 1 = 26",
                       "conv2 has no padding and shrinks it: (26 − 3) / 1 + 1 = 24", "pool1 halves it: (24 − 2) / 2 + 1 = 12",
                       "The max-pool layer records its *switches*",
                       "conv1 has 32 3×3 filters that look at the image directly; conv2 has 64 filters of 32 3×3 slices each, one slice per conv1 map",
                       "2 for conv1, mapping 26×26 back to 28×28; 2 for conv2, mapping 24×24 back to 26×26",
                       "reconstructs all 96 activations: the 32 maps of conv1 and the 64 of conv2",
                       "the 32 conv1 output maps (26×26, after ReLU) and the 64 conv2 output maps (12×12, after ReLU and max-pooling)",
                       "strongest-unit pictures on", "(a unit's field is 3×3 pixels", "(a unit's field is 6×6 pixels",
                       "for each of the 96 maps", "over the 384 digit-map pairs", "mean over conv2's 256 pairs alone",
                       "conv2 random** (`random_conv2` in the files)", "conv1+2 random** (`random_conv1_conv2`): conv1's and conv2's redrawn",
                       "the Euclidean distance of its conv1 output after ReLU (21,632 values) and of its fc1 output after ReLU (128 values)",
                       "the conv2 map that is strongest", "there are no checkpoints of this network's training",
                       "**Grad-CAM** ([Selvaraju et al., 2017](#ref-selvaraju2017)) at conv2's output after its ReLU (layer 4 of the chain, before pooling), whose maps are 24×24",
                       "Curves and areas are over the first 2 test images", "with conv1 and conv2 both redrawn, its mean correlation is nearer to that level",
                       "The network read from `\(path)` classifies", "one set of weights, trained elsewhere",
                       "Here a ReLU below the top feeds no max-pool"] {
            #expect(text.contains(phrase), "missing “\(phrase)”")
        }
    }

    /// Many maps are split over several figures, each named after its layer and part, and the
    /// text refers to every one.
    @Test func manyMapsAreSplitAcrossFigures() throws {
        let names = Self.chapters.figures.map(\.name)
        for name in ["conv1_filters", "conv2_filters_1", "conv2_filters_4", "unpooling_example", "reconstructions_overview_conv1_2",
                     "reconstructions_overview_conv2_1", "reconstructions_overview_conv2_4", "digit0_reconstructions_conv2_2",
                     "top9_conv1_1", "top9_conv2_4", "rules_digit8_conv1_2", "sanity_guided_conv2_4", "attributions_digits",
                     "faithfulness_curves", "attributions_randomisation"] {
            #expect(names.contains(name), "no figure \(name)")
        }
        #expect(!names.contains("reconstructions_overview") && !names.contains { $0.hasPrefix("evolution_") })
        #expect(!names.contains("digit0_reconstructions_conv2_3"), "a digit's reconstructions in parts of 32")
        let markdown = try Self.markdown()
        let shown = Set(markdown.matches(of: /\]\(figures\/([a-z0-9_]+)\.svg\)/).map { String($0.1) })
        #expect(shown == Set(names))
        let anchors = Set(markdown.matches(of: /<a id="([\w-]+)"><\/a>/).map { String($0.1) })
        let links = Set(markdown.matches(of: /\]\(#([\w-]+)\)/).map { String($0.1) })
        for anchor in anchors where anchor.hasPrefix("figure-") { #expect(links.contains(anchor), "\(anchor) is never referred to") }
        for link in links { #expect(anchors.contains(link), "a link to #\(link), which has no anchor") }
    }

    @Test func figuresStayLegible() {
        for (name, figure) in Self.chapters.figures {
            guard let smallest = figure.smallestPrintedText(in: .column) else { continue }
            #expect(smallest.size >= PrintArea.minimumTextSize - 1e-9,
                    "\(name): “\(smallest.text)” prints at \(smallest.size) pt (figure \(figure.size), scale \(PrintArea.column.scale(for: figure.size)))")
        }
    }
}

extension OtherNetworkTests {
    /// The whole document typesets; it is left in the temporary folder to be looked at.
    @Test func typesetsThePDF() throws {
        let markdown = try Self.markdown()
        let byLink = Dictionary(uniqueKeysWithValues: Self.chapters.figures.map { ("figures/\($0.name).svg", $0.figure) })
        let pdf = try Typesetter(author: "report (CNN-activation-visualization)", figures: byLink).pdf(markdown: markdown)
        #expect(pdf.count > 100_000)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reportkit-other-network.pdf")
        try pdf.write(to: path)
        print("wrote \(path.path)")
    }
}

/// Three convolutional layers: the prose says three, compares the first with the last, and
/// cascades the randomisation from the top layer down; the file's own layer names are shown.
@Suite struct ThreeLayerTests {
    @Test func proseFollowsThreeLayers() throws {
        let markdown = try OtherNetworkTests.markdown(ReportChapters(ThreeLayerFixture.run))
        #expect(!markdown.contains("{{") && !markdown.contains("}}"))
        let text = markdown.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for phrase in ["What the three convolutional layers", "maps the 40 feature maps of its three convolutional layers",
                       "the activations of all three convolutional layers", "| conv1 (`features.0`) | Conv2d |", "| conv3 (`features.6`) | Conv2d |",
                       "the eight maps of conv1, the sixteen of conv2 and the sixteen of conv3",
                       "for conv2 to conv3, on through the deconvnet layers below", "(a unit's field is 4×4 pixels",
                       "**conv3 random** (`random_conv3` in the files)", "**conv2+3 random** (`random_conv2_conv3`): conv2's and conv3's redrawn",
                       "**conv1–3 random** (`random_conv1_conv2_conv3`): conv1's, conv2's and conv3's redrawn",
                       "the redrawn conv1, conv2 and conv3 filters", "With conv1, conv2 and conv3 all randomised",
                       "made again under four conditions", "(redrawing conv3 leaves conv1's and conv2's pictures unchanged)",
                       "conv3's pictures with conv3 random", "where the file names a layer otherwise, its own name follows in brackets",
                       "at conv3's output after its ReLU (layer 8 of the chain), whose maps are 5×5", "with conv1, conv2 and conv3 all redrawn",
                       "redraws conv1, conv2 and conv3 with five seeds (2013 to 2017)", "because every ReLU below the top feeds a max-pool"] {
            #expect(text.contains(phrase), "missing “\(phrase)”")
        }
        #expect(!text.contains("LeNet-5") && !text.contains("both convolutional layers"))
        #expect(text.contains("Below the top layer every ReLU is followed directly by a max-pool"), "conv1 and conv2 end in ReLU and max-pool")
    }
}

@Suite struct OneLayerTests {
    @Test func proseFollowsOneLayer() throws {
        let markdown = try OtherNetworkTests.markdown(ReportChapters(OneLayerFixture.run))
        #expect(!markdown.contains("{{") && !markdown.contains("}}"))
        let text = markdown.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for phrase in ["What the convolutional layer of a small network learned", "maps the 8 feature maps of its convolutional layer back",
                       "the activations of the convolutional layer back", "shows conv1's filters on one scale, given by its colour bar",
                       "filter), arriving as one 28×28 image", "(a unit's field is 6×6 pixels, 5 % of the image)",
                       "from 0 to the largest activation of the layer", "With conv1 randomised and the forward pass recomputed",
                       "redraws conv1 with five seeds (2013 to 2017)", "With one convolutional layer the three rules agree"] {
            #expect(text.contains(phrase), "missing “\(phrase)”")
        }
        for stale in ["LeNet-5", "conv2", "deeper", "deepest", "both convolutional layers", "two convolutional"] {
            #expect(!text.contains(stale), "“\(stale)” needs a second convolutional layer")
        }
    }
}
