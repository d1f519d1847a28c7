import Checkpoint
import Config
import Foundation
import Model
import Recipe

/// Everything checked before a run's first step — by `ssd train`, once by the coordinator
/// of a distributed run before any worker builds anything, and by `ssd config check` (which
/// creates nothing) — so a mistake costs seconds, not a training phase:
/// - the files (`Config.Preflight`): `--model_dir` creatable and writable, every input glob
///   matching, label maps parsing (naming the reader), `fine_tune_checkpoint` present,
///   `--eval_annotations` readable;
/// - `fine_tune_checkpoint` readable and restoring at least one variable
///   (`FineTuneCheckpoint`: 0 restored means a wrong path, type or checkpoint);
/// - `freeze_variables` / `update_trainable_variables` leaving something to train.
/// The notes say what will happen (variables frozen, patterns matching nothing, clipping,
/// what the fine-tune checkpoint restores).
public enum RunPreflight {
  public struct Result: Sendable {
    public var problems: [PreflightProblem] = []
    public var notes: [String] = []
  }

  public static func check(plan: ModelMainPlan, modelDir: String?, evalAnnotations: String?, create: Bool) -> Result {
    var result = Result()
    result.problems = Preflight.problems(plan: plan, modelDir: modelDir, create: create, evalAnnotations: evalAnnotations)
    guard case .train = plan.mode else { return result }
    let train = plan.config.trainConfig
    let variables: [ModelSummary.Entry]
    do {
      variables = ModelSummary(config: try SSDConfig(pipeline: plan.config)).variables
    } catch {
      result.problems.append(PreflightProblem(field: "model", message: "\(error)"))
      return result
    }
    do {
      let selection = try VariableFilter(train).resolve(variables.filter(\.trainable).map(\.name))
      if let problem = selection.nothingToTrain {
        result.problems.append(PreflightProblem(field: "train_config.freeze_variables", message: problem))
      }
      result.notes += selection.reportLines()
    } catch {
      result.problems.append(PreflightProblem(field: "train_config.freeze_variables", message: "\(error)"))
    }
    if train.gradientClippingByNorm > 0 {
      result.notes.append("gradient_clipping_by_norm: the averaged gradients of the trained variables are scaled to a "
                          + "global norm of at most \(train.gradientClippingByNorm)")
    }
    let resumes = modelDir.map { FileManager.default.fileExists(atPath: $0 + "/" + CheckpointState.fileName) } ?? false
    if plan.restoresFineTuneCheckpoint, !resumes,
       !result.problems.contains(where: { $0.field == "train_config.fine_tune_checkpoint" }) {
      let ft = FineTuneCheckpoint(train)
      do {
        let reader = try CheckpointReader(path: ft.path)
        let mapping = ft.mapping(reader, variables: variables.map { ($0.name, $0.shape) })
        if let problem = ft.problem(mapping, variableCount: variables.count) {
          result.problems.append(PreflightProblem(field: "train_config.fine_tune_checkpoint", message: problem))
        } else {
          result.notes.append("fine_tune_checkpoint \(reader.path) (type \(ft.type)): restores \(mapping.restored.count) "
                              + "of \(variables.count) variables")
        }
      } catch {
        result.problems.append(PreflightProblem(
          field: "train_config.fine_tune_checkpoint",
          message: "cannot read '\(ft.path)': \(error); fix it, or pass --hparams_overrides load_pretrained=false to train from the initializers"))
      }
    }
    return result
  }
}
