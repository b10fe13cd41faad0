import Testing
@testable import Network

/// The small summaries the writeup quotes, on hand-made inputs.
@Suite struct SummaryTests {
    /// Class 0: 4 of 4 right; class 1: 1 of 4, mistaken twice for 2 and once for 0; class 2: 2 of 2;
    /// classes 3–9 have no images (accuracy 0, by definition).
    @Test func confusionMatrixPerClass() {
        let matrix = ConfusionMatrix(labels: [0, 0, 0, 0, 1, 1, 1, 1, 2, 2], predictions: [0, 0, 0, 0, 1, 2, 2, 0, 2, 2])
        #expect(matrix.perClass[0].total == 4 && matrix.perClass[0].correct == 4 && matrix.perClass[1].correct == 1)
        #expect(matrix.classAccuracy[0] == 1 && matrix.classAccuracy[1] == 0.25 && matrix.classAccuracy[2] == 1 && matrix.classAccuracy[5] == 0)
        #expect(matrix.hardestClass == 3, "the first of the classes at 0 (no images)")
        #expect(matrix.easiestClass == 0, "of equal accuracies the lower class")
        #expect(matrix.mostFrequentError! == (label: 1, predicted: 2, count: 2))
        let full = ConfusionMatrix(labels: (0..<10).map(UInt8.init) + [4], predictions: (0..<10).map(UInt8.init) + [9])
        #expect(full.hardestClass == 4 && full.easiestClass == 0)
    }

    @Test func bestEpochIsTheFirstOfTheBest() {
        var history = TrainingHistory()
        #expect(history.bestEpoch == nil)
        history.epochs = [0.97, 0.99, 0.98, 0.99].enumerated().map {
            EpochSummary(epoch: $0 + 1, trainLoss: 0, trainAccuracy: 0, testLoss: 0, testAccuracy: $1, seconds: 0)
        }
        #expect(history.bestEpoch?.epoch == 2)
    }

    @Test func stepsPerEpochCountsTheShortLastBatch() {
        var options = TrainingOptions()
        options.batchSize = 64
        #expect(options.stepsPerEpoch(images: 60_000) == 938 && options.stepsPerEpoch(images: 64) == 1)
        #expect(options.stepsPerEpoch(images: 65) == 2 && options.stepsPerEpoch(images: 0) == 0)
    }

    /// The one parallel helper: results in index order on one thread or two, the first error (by index) rethrown.
    @Test func parallelMapKeepsOrderAndErrors() throws {
        struct Odd: Error, Equatable { let index: Int }
        for threads in [1, 2] {
            #expect(parallelMap(1000, threads: threads) { $0 * $0 } == (0..<1000).map { $0 * $0 })
            #expect(throws: Odd(index: 3)) { try parallelMap(10, threads: threads) { i throws -> Int in if i % 2 == 1 && i > 2 { throw Odd(index: i) }; return i } }
        }
    }

    /// Jobs that wait for earlier ones get their results, whoever ran them, and their errors.
    @Test func parallelMapInOrderLetsAJobWaitForEarlierOnes() throws {
        struct Failed: Error, Equatable { let index: Int }
        for threads in [1, 2, 4] {
            // Each job sums the results of the three before it (the first three give their index).
            let sums = try parallelMapInOrder(200, threads: threads) { i, earlier throws -> Int in
                i < 3 ? i : try earlier((i - 3)..<i).reduce(0, +) % 1_000_003
            }
            var expected = [0, 1, 2]
            for i in 3..<200 { expected.append(expected[(i - 3)..<i].reduce(0, +) % 1_000_003) }
            #expect(sums == expected, "\(threads) threads")
            // The last job waits for all; the first error (by index) reaches it and the caller.
            var seen: (any Error)?
            #expect(throws: Failed(index: 5)) {
                try parallelMapInOrder(20, threads: threads) { i, earlier throws -> Int in
                    if i == 5 || i == 9 { throw Failed(index: i) }
                    if i == 19 { do { _ = try earlier(0..<19) } catch { seen = error; throw error } }
                    return i
                }
            }
            #expect(seen as? Failed == Failed(index: 5))
        }
    }
}
