"""Writes the reference event files in Tests/EventsData/tensorflow_model_dir with the
`tensorboard` package's own writer (TFRecord framing, protos and CRCs as TensorFlow writes
them), laid out as model_main.py's Estimator lays out a model_dir: training scalars at the
top, the train-and-evaluate evaluation in `eval/`.

Developer-only (the tests read the committed files; nothing runs Python):

    python3 -m venv /tmp/tb && /tmp/tb/bin/pip install tensorboard
    /tmp/tb/bin/python Tests/EventsData/make_reference_events.py

The values are those EventsTests and ReportTests expect; change both together.
"""
import os
import shutil
import struct
import zlib

from tensorboard.compat.proto import event_pb2, summary_pb2
from tensorboard.summary.writer.event_file_writer import EventFileWriter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "tensorflow_model_dir")


def png(width, height, rgb):
    """A solid-colour RGB PNG."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def write(directory, events, name):
    os.makedirs(directory, exist_ok=True)
    writer = EventFileWriter(directory)
    for e in events:
        writer.add_event(e)
    writer.close()
    written = [f for f in os.listdir(directory) if "tfevents" in f and not f.startswith("events.out.tfevents.1700")]
    assert len(written) == 1, written
    os.rename(os.path.join(directory, written[0]), os.path.join(directory, name))


def scalars(step, wall, values):
    s = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=t, simple_value=v) for t, v in values])
    return event_pb2.Event(wall_time=wall, step=step, summary=s)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    train = [
        event_pb2.Event(wall_time=1700000001.0, step=0, session_log=event_pb2.SessionLog(status=event_pb2.SessionLog.START)),
        scalars(100, 1700000100.5, [("learning_rate", 0.02), ("loss", 1.25), ("global_norm/gradient_norm", 3.5),
                                    ("TargetAssignment/Loss/TargetAssignment/AvgNumPositiveAnchorsPerImage", 12.0)]),
        scalars(100, 1700000100.75, [("global_step/sec", 2.5)]),
        scalars(200, 1700000200.5, [("learning_rate", 0.04), ("loss", 0.75), ("global_norm/gradient_norm", 2.5),
                                    ("TargetAssignment/Loss/TargetAssignment/AvgNumPositiveAnchorsPerImage", 14.0)]),
        event_pb2.Event(wall_time=1700000201.0, step=200,
                        session_log=event_pb2.SessionLog(status=event_pb2.SessionLog.CHECKPOINT,
                                                         checkpoint_path="/results/model.ckpt")),
    ]
    write(OUT, train, "events.out.tfevents.1700000000.tensorboard-writer")

    metrics = [("DetectionBoxes_Precision/mAP", 0.125), ("DetectionBoxes_Precision/mAP@.50IOU", 0.25),
               ("DetectionBoxes_Precision/mAP@.75IOU", 0.0625), ("DetectionBoxes_Precision/mAP (small)", -1.0),
               ("DetectionBoxes_Precision/mAP (medium)", 0.5), ("DetectionBoxes_Precision/mAP (large)", 0.75),
               ("DetectionBoxes_Recall/AR@1", 0.1875), ("DetectionBoxes_Recall/AR@10", 0.375),
               ("DetectionBoxes_Recall/AR@100", 0.4375), ("DetectionBoxes_Recall/AR@100 (small)", -1.0),
               ("DetectionBoxes_Recall/AR@100 (medium)", 0.625), ("DetectionBoxes_Recall/AR@100 (large)", 0.875),
               ("DetectionBoxes_PerformanceByCategory/mAP/person", 0.25),
               ("DetectionBoxes_PerformanceByCategory/mAP/traffic light", 0.0),
               ("Loss/localization_loss", 0.5), ("Loss/classification_loss", 0.625),
               ("Loss/regularization_loss", 0.125), ("Loss/total_loss", 1.25), ("learning_rate", 0.04)]
    image = summary_pb2.Summary.Image(height=2, width=4, colorspace=3, encoded_image_string=png(4, 2, (255, 0, 0)))
    values = [summary_pb2.Summary.Value(tag=t, simple_value=v) for t, v in metrics]
    values.append(summary_pb2.Summary.Value(tag="Detections_Left_Groundtruth_Right/0/0", image=image))
    evaluation = [event_pb2.Event(wall_time=1700000300.0, step=200, summary=summary_pb2.Summary(value=values))]
    write(os.path.join(OUT, "eval"), evaluation, "events.out.tfevents.1700000299.tensorboard-writer")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
