#!/usr/bin/env python3
"""Developer check (run by scripts/check-onnx.sh in a throwaway venv; nothing in the product
runs Python): an `ssd export` model against our own outputs, with ONNX Runtime.

  check-onnx.py --name small --full m.onnx --raw m_raw.onnx --reference ref/ --detect dets.json
                --sidecar m.json [--bench-batches 1,8 --bench-iterations 5]

1. onnx.checker.check_model(full_check=True) on both models.
2. Raw outputs of the raw model on ref/image.npy vs our forward pass (ref/*.npy):
   max |diff| <= 1e-4 * max |ours| for box_encodings and class_predictions.
3. The full model's post-processing subgraph (box_encodings, class_predictions -> detections)
   fed with OUR raw outputs vs our detections: isolates the post-processing.
4. The full model on ref/image.npy vs our detections, and vs `ssd detect`'s COCO JSON.
   Detections match when class is equal, IoU > 0.99 and |score diff| <= 1e-4. Unmatched
   ones are tolerated only as near ties (see `compare`), and counted.
5. Batch 1 vs batch n: the dynamic batch dimension gives the same rows.
Prints one line per check and 'N passed, N failed'; exits 1 on any failure.
"""
import argparse
import json
import sys
import tempfile
import time

import numpy as np
import onnx
import onnx.utils
import onnxruntime as ort

SCORE_TOL = 1e-4
RAW_TOL = 1e-4
results = []


def check(name, ok, detail):
    results.append(ok)
    print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)


def session(path, threads):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])


def iou(a, b):
    """IoU of two [ymin, xmin, ymax, xmax] boxes (float64)."""
    ih = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iw = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ih * iw
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def rows(boxes, scores, classes, count):
    return [(int(classes[i]), [float(v) for v in boxes[i]], float(scores[i])) for i in range(int(count))]


def compare(ours, theirs, capacity, score_threshold, nms_iou):
    """Matches detections (class, IoU > 0.99, |score diff| <= SCORE_TOL). An unmatched
    detection is tolerated as
      - 'boundary': its score is within SCORE_TOL of where the other list stops (its
        lowest score when it is full, else the score threshold): a near tie at the top-k cut;
      - 'nms tie': the other list has an unmatched detection of the same class, score within
        SCORE_TOL and IoU > the NMS threshold with it: the two runs kept different members of
        a near-tied overlapping pair;
      - 'cascade': it overlaps (IoU > the NMS threshold) a same-class tie or cascade of either
        list: the swapped box suppressed it in one run and not in the other.
    Returns (matched, counts by kind, unexplained list)."""
    used = [False] * len(theirs)
    matched_ours = [False] * len(ours)
    for i, (c, b, s) in enumerate(ours):
        best, best_d = None, None
        for j, (c2, b2, s2) in enumerate(theirs):
            if used[j] or c2 != c or abs(s2 - s) > SCORE_TOL or iou(b, b2) <= 0.99:
                continue
            if best is None or abs(s2 - s) < best_d:
                best, best_d = j, abs(s2 - s)
        if best is not None:
            used[best] = True
            matched_ours[i] = True
    un_ours = [d for d, m in zip(ours, matched_ours) if not m]
    un_theirs = [d for d, m in zip(theirs, used) if not m]
    counts = {"boundary": 0, "nms tie": 0, "cascade": 0}

    def stop(lst):
        return min(d[2] for d in lst) if len(lst) >= capacity else score_threshold

    ties = []
    for mine, other, other_all in ((un_ours, un_theirs, theirs), (un_theirs, un_ours, ours)):
        for d in mine:
            if d[2] <= stop(other_all) + SCORE_TOL:
                counts["boundary"] += 1
                ties.append(d)
            elif any(o[0] == d[0] and abs(o[2] - d[2]) <= SCORE_TOL and iou(o[1], d[1]) > nms_iou - 1e-6 for o in other):
                counts["nms tie"] += 1
                ties.append(d)
    # Cascades: a detection kept in one run and suppressed in the other overlaps (IoU > the
    # NMS threshold, same class) a tie or an earlier cascade of either run; to a fixed point.
    rest = [d for d in un_ours + un_theirs if d not in ties]
    explained = list(ties)
    changed = True
    while changed:
        changed = False
        for d in list(rest):
            if any(t[0] == d[0] and iou(t[1], d[1]) > nms_iou - 1e-6 for t in explained):
                counts["cascade"] += 1
                explained.append(d)
                rest.remove(d)
                changed = True
    unexplained = rest
    return len(ours) - len(un_ours), counts, unexplained


def compare_batches(name, ours, theirs, capacity, score_threshold, nms_iou):
    total, kinds, bad = 0, {"boundary": 0, "nms tie": 0, "cascade": 0}, []
    for i, (a, b) in enumerate(zip(ours, theirs)):
        m, counts, unexplained = compare(a, b, capacity, score_threshold, nms_iou)
        total += m
        for k in kinds:
            kinds[k] += counts[k]
        bad += [(i, d) for d in unexplained]
    n = sum(len(a) for a in ours)
    detail = f"{total} of {n} detections matched; tolerated near ties: {kinds}"
    if bad:
        detail += f"; UNEXPLAINED {len(bad)}, e.g. image {bad[0][0]} {bad[0][1]}"
    check(name, not bad and total > 0, detail)


def bench(a, full, image):
    """images/s of the full model (graph input already resized, as `ssd bench infer`'s
    network + post-processing figure): one warm-up run, then timed runs per batch size."""
    outs = [o.name for o in full.get_outputs()]
    n = image.shape[0]
    print(f"bench {a.name}: ONNX Runtime {ort.__version__}, intra_op_num_threads {a.threads}, CPUExecutionProvider")
    for b in [int(v) for v in a.bench_batches.split(",")]:
        batch = np.concatenate([image] * ((b + n - 1) // n))[:b]
        full.run(outs, {"image": batch})  # warm-up
        times = []
        for _ in range(a.bench_iterations):
            t = time.perf_counter()
            full.run(outs, {"image": batch})
            times.append(time.perf_counter() - t)
        ips = [b / t for t in times]
        print(f"bench {a.name} onnxruntime batch {b}: {np.mean(ips):.2f} images/s (mean of {len(ips)} iterations; "
              f"latency {1000 * np.mean(times):.0f} ms, min {1000 * min(times):.0f} ms)", flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--name", required=True)
    p.add_argument("--full", required=True)
    p.add_argument("--raw", required=True)
    p.add_argument("--reference", required=True)
    p.add_argument("--detect", required=True)
    p.add_argument("--sidecar", required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--bench-batches", default="")
    p.add_argument("--bench-iterations", type=int, default=5)
    p.add_argument("--bench-only", action="store_true", help="only time the full model (no checks)")
    a = p.parse_args()
    if a.bench_only:
        bench(a, session(a.full, a.threads), np.load(f"{a.reference}/image.npy"))
        return 0
    name = a.name
    side = json.load(open(a.sidecar))
    pp = side["post_processing"]
    score_thr, nms_iou, capacity = pp["score_threshold"], pp["iou_threshold"], pp["max_total_detections"]

    for path in (a.full, a.raw):
        try:
            onnx.checker.check_model(path, full_check=True)
            check(f"{name} checker {path.split('/')[-1]}", True, "onnx.checker.check_model(full_check=True) passes")
        except Exception as e:  # noqa: BLE001
            check(f"{name} checker {path.split('/')[-1]}", False, str(e)[:500])
    m = onnx.load(a.full)
    check(f"{name} opset", m.opset_import[0].version == side["onnx"]["opset"],
          f"opset {m.opset_import[0].version}, IR {m.ir_version}, onnx {onnx.__version__}, onnxruntime {ort.__version__}")

    ref = {k: np.load(f"{a.reference}/{k}.npy") for k in
           ("image", "box_encodings", "class_predictions", "detection_boxes", "detection_scores", "detection_classes",
            "num_detections")}
    image = ref["image"]
    n = image.shape[0]

    # 2. Raw outputs.
    raw = session(a.raw, a.threads).run(None, {"image": image})
    raw_names = [o.name for o in session(a.raw, a.threads).get_outputs()]
    raw = dict(zip(raw_names, raw))
    for k in ("box_encodings", "class_predictions"):
        scale = float(np.max(np.abs(ref[k])))
        diff = float(np.max(np.abs(raw[k] - ref[k])))
        check(f"{name} raw {k}", diff <= RAW_TOL * scale,
              f"max |diff| {diff:.3g} = {diff / scale:.3g} of max |value| {scale:.4g} (limit {RAW_TOL:g})")

    def as_lists(out):
        return [rows(out["detection_boxes"][i], out["detection_scores"][i], out["detection_classes"][i],
                     out["num_detections"][i]) for i in range(out["detection_boxes"].shape[0])]

    ours = as_lists(ref)

    # 3. Post-processing alone, on our raw outputs.
    outs = ["detection_boxes", "detection_scores", "detection_classes", "num_detections"]
    with tempfile.TemporaryDirectory() as tmp:
        sub = f"{tmp}/post.onnx"
        onnx.utils.extract_model(a.full, sub, ["box_encodings", "class_predictions"], outs)
        s = session(sub, a.threads)
        post = dict(zip(outs, s.run(outs, {"box_encodings": ref["box_encodings"],
                                           "class_predictions": ref["class_predictions"]})))
    counts_equal = bool(np.all(post["num_detections"] == ref["num_detections"]))
    check(f"{name} post-processing counts", counts_equal,
          f"num_detections {post['num_detections'].astype(int).tolist()} vs ours {ref['num_detections'].astype(int).tolist()}")
    compare_batches(f"{name} post-processing on our raw outputs vs ours", ours, as_lists(post), capacity, score_thr, nms_iou)

    # 4. The whole model.
    full = session(a.full, a.threads)
    t0 = time.time()
    got = dict(zip(outs, full.run(outs, {"image": image})))
    onnx_lists = as_lists(got)
    print(f"     ({n} images in {time.time() - t0:.2f} s, detections per image {got['num_detections'].astype(int).tolist()})")
    compare_batches(f"{name} full model vs ours", ours, onnx_lists, capacity, score_thr, nms_iou)

    # vs ssd detect (COCO JSON in pixels of the original images, label-map classes only).
    images = [line.rstrip("\n").split("\t") for line in open(f"{a.reference}/images.txt")]
    detect = json.load(open(a.detect))
    labels = {e["id"] for e in side["label_map"]} if side["label_map"] else None
    by_file = {}
    for d in detect:
        x, y, w, h = d["bbox"]
        by_file.setdefault(d["file_name"], []).append((d["category_id"], [y, x, y + h, x + w], d["score"]))
    det_lists, onnx_px = [], []
    for i, (path, height, width) in enumerate(images):
        hh, ww = np.float32(height), np.float32(width)
        det_lists.append(by_file.get(path, []))
        px = []
        for c, b, s in onnx_lists[i]:
            if labels is not None and c not in labels:
                continue
            y0, x0, y1, x1 = (np.float32(v) for v in b)
            px.append((c, [float(y0 * hh), float(x0 * ww), float(y1 * hh), float(x1 * ww)], s))
        onnx_px.append(px)
    compare_batches(f"{name} full model vs ssd detect", det_lists, onnx_px, capacity, score_thr, nms_iou)

    # 5. Dynamic batch: image 0 alone.
    one = dict(zip(outs, full.run(outs, {"image": image[:1]})))
    same = all(np.array_equal(one[k][0], got[k][0]) for k in outs)
    check(f"{name} batch 1 vs batch {n}", same, "image 0 alone gives the same rows" if same else "rows differ")

    if a.bench_batches:
        bench(a, full, image)

    failed = results.count(False)
    print(f"{results.count(True)} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
