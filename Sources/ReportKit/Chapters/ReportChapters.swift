import Writeup

/// The writeup's chapters in reading order.
struct ReportChapters {
    let data: DataChapter
    let architecture: ArchitectureChapter
    let training: TrainingChapter
    let accuracy: AccuracyChapter
    let filters: FiltersChapter
    let deconvnet: DeconvnetChapter
    let reconstructions: ReconstructionsChapter
    let topActivations: TopActivationsChapter
    let evolution: EvolutionChapter
    let invariance: InvarianceChapter
    let occlusion: OcclusionChapter
    let rules: RulesChapter
    let sanity: SanityChapter
    let reproducibility: ReproducibilityChapter
    /// Every chapter's figures, in reading order (built once: drawing and typesetting share them).
    let figures: [NamedFigure]

    init(_ run: RunResults) {
        data = DataChapter(run)
        architecture = ArchitectureChapter()
        training = TrainingChapter(run)
        accuracy = AccuracyChapter(run)
        filters = FiltersChapter(run)
        deconvnet = DeconvnetChapter(run)
        reconstructions = ReconstructionsChapter(run)
        topActivations = TopActivationsChapter(run)
        evolution = EvolutionChapter(run)
        invariance = InvarianceChapter(run)
        occlusion = OcclusionChapter(run)
        rules = RulesChapter(run)
        sanity = SanityChapter(run)
        reproducibility = ReproducibilityChapter(run)
        figures = data.figures + architecture.figures + training.figures + accuracy.figures + filters.figures
            + deconvnet.figures + reconstructions.figures + topActivations.figures + evolution.figures + invariance.figures
            + occlusion.figures + rules.figures + sanity.figures
    }

    var tables: [String] {
        data.tables + architecture.tables + training.tables + accuracy.tables + evolution.tables + invariance.tables + sanity.tables
            + reproducibility.tables
    }

    /// The templates' context.
    var context: ReportContext {
        ReportContext(
            title: ReportPipeline.title,
            subtitle: "What the two convolutional layers of a small network learned, mapped back to pixels",
            fig: Dictionary(uniqueKeysWithValues: figures.map { ($0.name, CrossReferences.placeholder(.figure, $0.name)) }),
            tab: Dictionary(uniqueKeysWithValues: tables.map { ($0, CrossReferences.placeholder(.table, $0)) }),
            model: training.model, data: data.context, architecture: architecture.context, training: training.context,
            accuracy: accuracy.context, filters: filters.context, deconv: deconvnet.context, digits: reconstructions.context,
            top9: topActivations.context, evolution: evolution.context, invariance: invariance.context, occlusion: occlusion.context,
            rules: rules.context, sanity: sanity.context, repro: reproducibility.context)
    }
}

/// What the templates read, one field per chapter; field names are the templates' top-level names.
struct ReportContext {
    let title: String
    let subtitle: String
    /// Figure and table placeholders by name, numbered in reading order once filled in.
    let fig: [String: String]
    let tab: [String: String]
    let model: TrainingChapter.ModelContext
    let data: DataChapter.Context
    let architecture: ArchitectureChapter.Context
    /// nil when the weights were loaded and there is no training history.
    let training: TrainingChapter.Run?
    let accuracy: AccuracyChapter.Context
    let filters: FiltersChapter.Context
    let deconv: DeconvnetChapter.Context
    let digits: [ReconstructionsChapter.DigitContext]
    let top9: TopActivationsChapter.Context
    let evolution: EvolutionChapter.Context
    let invariance: InvarianceChapter.Context
    let occlusion: OcclusionChapter.Context
    let rules: RulesChapter.Context
    let sanity: SanityChapter.Context
    let repro: ReproducibilityChapter.Context
}
