"""PyTorch CPU peer of `acaf bench`: the `paper` variants of acaf's networks, rebuilt in PyTorch, timed the same way.

Each network here has exactly the trainable parameter count of acaf's (checked before timing: a network whose count
differs from acaf's is refused, not timed), the same layers and output shapes (TensorFlow's 'same' padding, which pads
more at the bottom and right when the total is odd, is reproduced), ReLU, dropout where the paper variant has it,
batch norm in training mode, plain SGD (lr 0.01) on a softmax cross-entropy loss, random data. As in acaf's bench:
--warmup untimed steps, then --steps timed steps, wall time divided by the steps.

Run with Debian's python3-torch, from anywhere (OPENBLAS_NUM_THREADS as --threads: torch.set_num_threads does not
bound OpenBLAS's own threads, which the fully connected layers use; acaf bench sets it):
    OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/peer_torch.py --networks simple-cnn,lenet --threads 2
acaf's trainable parameter counts come from --expect-params name=count,... (what `acaf bench --peer-torch` passes)
or, for a network not listed there, from `node bin/run.js summary --json` in this repository (needs `npm run build`).
With --eval-batch N, inference is timed too (model.eval(), torch.no_grad(), N images per forward pass).
Output: one JSON object per network on stdout, {network, parameters, msPerStep, imagesPerSecond, threads, torch,
peakMemoryMB, evalMsPerBatch, evalImagesPerSecond} or {network, error};
exit status 1 when any network was refused or failed.
"""

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time

import torch
import torch.nn as nn

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAPER_DROPOUT = 0.1  # the paper variants' keep_prob 0.9


def same_padding(size, kernel, stride):
    """TensorFlow's 'same' padding of one spatial axis: (before, after, output size); after >= before."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2, out


def valid_size(size, kernel, stride):
    return (size - kernel) // stride + 1


class Builder:
    """Tracks channels and spatial size while layers are appended, so each layer gets TensorFlow's padding."""

    def __init__(self, channels, size, width):
        self.channels, self.size, self.width_multiplier = channels, size, width
        self.layers = []

    def width(self, channels, multiple_of=1):
        """acaf's LayerKit.width: channels x multiplier, rounded half up to a multiple (at least one multiple)."""
        return max(1, math.floor(channels * self.width_multiplier / multiple_of + 0.5)) * multiple_of

    def _padded(self, kernel, stride, fill):
        before, after, out = same_padding(self.size, kernel, stride)
        padding = before
        if after != before:
            self.layers.append(nn.ConstantPad2d((before, after, before, after), fill))
            padding = 0
        self.size = out
        return padding

    def conv(self, filters, kernel, stride=1, groups=1, bias=True, batch_norm=False, relu=True):
        padding = self._padded(kernel, stride, 0.0)
        self.layers.append(nn.Conv2d(self.channels, filters, kernel, stride, padding, groups=groups, bias=bias))
        self.channels = filters
        if batch_norm:
            self.layers.append(nn.BatchNorm2d(filters))
        if relu:
            self.layers.append(nn.ReLU())
        return self

    def max_pool(self, kernel, stride, padding="same"):
        if padding == "valid" and self.size >= kernel:
            self.layers.append(nn.MaxPool2d(kernel, stride))
            self.size = valid_size(self.size, kernel, stride)
        else:  # acaf's LayerKit falls back to 'same' where a valid window would not fit
            self.layers.append(nn.MaxPool2d(kernel, stride, self._padded(kernel, stride, -math.inf)))
        return self

    def avg_pool(self, kernel, stride):
        """A 'valid' average pool; where the window does not fit, TensorFlow's 'same' one, which averages only the
        pixels it covers (ceil mode does the same while TensorFlow pads only at the bottom and right)."""
        if self.size >= kernel:
            self.layers.append(nn.AvgPool2d(kernel, stride))
            self.size = valid_size(self.size, kernel, stride)
            return self
        before, _, out = same_padding(self.size, kernel, stride)
        if before:
            raise RuntimeError(f"no PyTorch equivalent of a 'same' {kernel}x{kernel}/{stride} average pool of {self.size}x{self.size}")
        self.layers.append(nn.AvgPool2d(kernel, stride, ceil_mode=True, count_include_pad=False))
        self.size = out
        return self

    def flatten(self):
        self.layers.append(nn.Flatten())
        self.channels, self.size = self.channels * self.size * self.size, 1
        return self

    def dense(self, units, relu=True, batch_norm=False, dropout=0.0):
        self.layers.append(nn.Linear(self.channels, units))
        self.channels = units
        if batch_norm:
            self.layers.append(nn.BatchNorm1d(units))
        if relu:
            self.layers.append(nn.ReLU())
        if dropout:
            self.layers.append(nn.Dropout(dropout))
        return self

    def module(self):
        return nn.Sequential(*self.layers)


def simple_cnn(b, classes):
    """simple-cnn: conv3x3 32, pool, conv3x3 64, pool, fc 128, logits (no variants, no dropout)."""
    b.conv(b.width(32), 3).max_pool(2, 2).conv(b.width(64), 3).max_pool(2, 2)
    return b.flatten().dense(b.width(128)).dense(classes, relu=False).module()


def lenet(b, classes):
    """LeNet paper: 5x5 conv 6, pool, 14x14 conv 16 ('same'), pool, fc 120, dropout, logits."""
    b.conv(b.width(6), 5).max_pool(2, 2).conv(b.width(16), 14).max_pool(2, 2)
    return b.flatten().dense(b.width(120), dropout=PAPER_DROPOUT).dense(classes, relu=False).module()


class LocalResponseNorm(nn.LocalResponseNorm):
    """tf.nn.lrn(depth_radius r, bias, alpha, beta): PyTorch divides alpha by the window 2r+1, TensorFlow does not."""

    def __init__(self, depth_radius, bias=2.0, alpha=1e-4, beta=0.75):
        window = 2 * depth_radius + 1
        super().__init__(window, alpha * window, beta, bias)


def alexnet(b, classes):
    """AlexNet paper: conv1 11x11/2, grouped conv2 and conv5, LRN radius 5, no conv4, batch norm, fc 1024/2048."""
    b.conv(b.width(96, 2), 11, stride=2, batch_norm=True)
    b.layers.append(LocalResponseNorm(5))
    b.max_pool(3, 2, "valid")
    b.conv(b.width(256, 2), 5, groups=2, batch_norm=True)
    b.layers.append(LocalResponseNorm(5))
    b.max_pool(3, 2, "valid")
    b.conv(b.width(384, 2), 3, batch_norm=True)
    b.conv(b.width(256, 2), 3, groups=2, batch_norm=True).max_pool(3, 2, "valid")
    b.flatten()
    for units in (1024, 2048):
        b.dense(b.width(units, 2), batch_norm=True, dropout=PAPER_DROPOUT)
    return b.dense(classes, relu=False).module()


# Inception widths: 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool projection (Szegedy et al. table 1).
INCEPTIONS = [
    ("3a", (64, 96, 128, 16, 32, 32)),
    ("3b", (128, 128, 192, 32, 96, 64)),
    ("4a", (192, 96, 208, 16, 48, 64)),
    ("4b", (160, 112, 224, 24, 64, 64)),
    ("4c", (128, 128, 256, 24, 64, 64)),
    ("4d", (112, 144, 288, 32, 64, 64)),
    ("4e", (256, 160, 320, 32, 128, 128)),
    ("5a", (256, 160, 320, 32, 128, 128)),
    ("5b", (384, 192, 384, 48, 128, 128)),
]


class Inception(nn.Module):
    """Four branches (1x1; 1x1 then 3x3; 1x1 then 5x5; 3x3/1 max-pool then 1x1), each conv + bias, BN, ReLU."""

    def __init__(self, b, widths):
        super().__init__()
        w1, w3r, w3, w5r, w5, wp = (b.width(w) for w in widths)
        channels, size = b.channels, b.size

        def branch(*steps):
            sub = Builder(channels, size, b.width_multiplier)
            for step in steps:
                step(sub)
            return sub.module()

        def unit(filters, kernel):
            return lambda sub: sub.conv(filters, kernel, batch_norm=True)

        self.branches = nn.ModuleList(
            [
                branch(unit(w1, 1)),
                branch(unit(w3r, 1), unit(w3, 3)),
                branch(unit(w5r, 1), unit(w5, 5)),
                branch(lambda sub: sub.max_pool(3, 1), unit(wp, 1)),
            ]
        )
        b.channels = w1 + w3 + w5 + wp

    def forward(self, x):
        return torch.cat([branch(x) for branch in self.branches], dim=1)


def googlenet(b, classes):
    """GoogLeNet paper: conv 7x7/2 64, pool, two 3x3 convs of 192, pool, inceptions 3a-5b, global pool, logits."""
    b.conv(b.width(64), 7, stride=2, batch_norm=True).max_pool(3, 2)
    b.conv(b.width(192), 3, batch_norm=True).conv(b.width(192), 3, batch_norm=True).max_pool(3, 2)
    for name, widths in INCEPTIONS:
        if name in ("4a", "5a"):
            b.max_pool(3, 2)
        b.layers.append(Inception(b, widths))
    b.layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(PAPER_DROPOUT)]
    b.size = 1
    return b.dense(classes, relu=False).module()


class Bottleneck(nn.Module):
    """ResNet v1 bottleneck as the paper's code has it: the stride on the first 1x1; projection where the shape changes."""

    def __init__(self, b, filters, stride):
        super().__init__()
        channels, size = b.channels, b.size
        body = Builder(channels, size, b.width_multiplier)
        body.conv(filters // 4, 1, stride, bias=False, batch_norm=True)
        body.conv(filters // 4, 3, bias=False, batch_norm=True)
        body.conv(filters, 1, bias=False, batch_norm=True, relu=False)
        self.body = body.module()
        self.shortcut = nn.Identity()
        if stride != 1 or channels != filters:
            projection = Builder(channels, size, b.width_multiplier)
            self.shortcut = projection.conv(filters, 1, stride, bias=False, batch_norm=True, relu=False).module()
        self.relu = nn.ReLU()
        b.channels, b.size = filters, body.size

    def forward(self, x):
        return self.relu(self.shortcut(x) + self.body(x))


def resnet50(b, classes):
    """ResNet-50 paper (v1): conv 7x7/2 64 + BN, max-pool 3x3/2, bottleneck stages 3/4/6/3, global pool, logits."""
    b.conv(b.width(64), 7, stride=2, bias=False, batch_norm=True).max_pool(3, 2)
    for stage, (units, filters) in enumerate(zip((3, 4, 6, 3), (256, 512, 1024, 2048))):
        for index in range(units):
            b.layers.append(Bottleneck(b, b.width(filters, 4), 2 if index == 0 and stage > 0 else 1))
    b.layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    b.size = 1
    return b.dense(classes, relu=False).module()


# Conv widths of VGG16's five blocks.
VGG_BLOCKS = [(64, 64), (128, 128), (256, 256, 256), (512, 512, 512), (512, 512, 512)]


def vgg16(b, classes):
    """VGG16 paper (the authors' CIFAR code): 3x3 convs, batch norm on each block's last conv only, max-pools after
    blocks 3-5 only, two fc 8192 with dropout, logits."""
    for block, widths in enumerate(VGG_BLOCKS):
        for index, filters in enumerate(widths):
            b.conv(b.width(filters), 3, batch_norm=index == len(widths) - 1)
        if block >= 2:
            b.max_pool(2, 2, "valid")
    b.flatten()
    for _ in range(2):
        b.dense(b.width(8192), dropout=PAPER_DROPOUT)
    return b.dense(classes, relu=False).module()


DENSENET_DROPOUT = 0.2  # Densenet_Cifar10.py's dropout after every convolution


def norm_act_conv(b, filters, kernel):
    """DenseNet's pre-activation unit: batch norm, ReLU, a convolution without bias, dropout."""
    b.layers += [nn.BatchNorm2d(b.channels), nn.ReLU()]
    b.conv(filters, kernel, bias=False, relu=False)
    b.layers.append(nn.Dropout(DENSENET_DROPOUT))
    return b


class DenseLayer(nn.Module):
    """One bottleneck layer of a dense block: 1x1 conv to 4 x growth, 3x3 conv to growth, concatenated to its input."""

    def __init__(self, b, growth):
        super().__init__()
        body = Builder(b.channels, b.size, b.width_multiplier)
        self.body = norm_act_conv(norm_act_conv(body, 4 * growth, 1), growth, 3).module()
        b.channels += growth

    def forward(self, x):
        return torch.cat([x, self.body(x)], dim=1)


def densenet(b, classes):
    """DenseNet paper (Densenet_Cifar10.py): conv 7x7/2 of 2 x growth (no batch norm, no max-pool), dense blocks of
    6/12/48/32 layers (growth 24), transitions (pre-activation 1x1 conv halving the channels, 2x2/2 average pool),
    batch norm, ReLU, global pool, logits."""
    growth = b.width(24)
    b.conv(2 * growth, 7, stride=2, bias=False, relu=False)
    for index, layers in enumerate((6, 12, 48, 32)):
        for _ in range(layers):
            b.layers.append(DenseLayer(b, growth))
        if index < 3:
            norm_act_conv(b, b.channels // 2, 1).avg_pool(2, 2)
    b.layers += [nn.BatchNorm2d(b.channels), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    b.size = 1
    return b.dense(classes, relu=False).module()


NETWORKS = {
    "simple-cnn": simple_cnn,
    "lenet": lenet,
    "alexnet": alexnet,
    "googlenet": googlenet,
    "resnet50": resnet50,
    "vgg16": vgg16,
    "densenet": densenet,
}


def build(name, size, classes, width):
    return NETWORKS[name](Builder(3, size, width), classes)


def trainable_parameters(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def acaf_parameters(name, size, classes):
    """acaf's own count, from `acaf summary --json` (the default variant is paper)."""
    command = ["node", os.path.join(REPOSITORY, "bin", "run.js"), "summary", "--network", name]
    command += ["--input", f"{size},{size},3", "--classes", str(classes), "--json"]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        lines = (run.stderr or run.stdout).strip().splitlines()
        raise RuntimeError(f"acaf summary failed: {lines[-1] if lines else run.returncode}")
    return json.loads(run.stdout)["trainableParams"]


def check_forward(model, size, classes):
    """One forward pass of one image: the layers fit together and give one logit per class (in evaluation mode, where
    batch norm takes a single value per channel)."""
    model.eval()
    with torch.no_grad():
        shape = tuple(model(torch.zeros(1, 3, size, size)).shape)
    if shape != (1, classes):
        raise RuntimeError(f"logits of shape {shape}, expected (1, {classes})")


def time_training_steps(model, batch, size, classes, steps, warmup):
    """`warmup` untimed steps, then `steps` timed SGD steps on one random batch: milliseconds per step."""
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_of = nn.CrossEntropyLoss()
    images = torch.randn(batch, 3, size, size)
    labels = torch.randint(0, classes, (batch,))
    model.train()

    def step():
        optimizer.zero_grad()
        loss_of(model(images), labels).backward()
        optimizer.step()

    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - start) * 1000 / steps


def time_evaluation(model, batch, size, classes, steps, warmup):
    """Inference as acaf's bench times it: no gradients, no dropout, batch norm with its running statistics, the
    logits and the loss computed; `warmup` untimed passes, then `steps` timed ones: milliseconds per batch."""
    loss_of = nn.CrossEntropyLoss()
    images = torch.randn(batch, 3, size, size)
    labels = torch.randint(0, classes, (batch,))
    model.eval()

    def evaluation_pass():
        with torch.no_grad():
            loss_of(model(images), labels).item()

    for _ in range(warmup):
        evaluation_pass()
    start = time.perf_counter()
    for _ in range(steps):
        evaluation_pass()
    return (time.perf_counter() - start) * 1000 / steps


def parse_counts(text):
    counts = {}
    for item in filter(None, (text or "").split(",")):
        name, _, count = item.partition("=")
        if not count.isdigit():
            raise SystemExit(f"peer_torch.py: --expect-params: '{item}' is not name=count")
        counts[name.strip()] = int(count)
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--networks", default=",".join(NETWORKS), help="comma-separated acaf network names")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps (and evaluation passes) first")
    parser.add_argument("--size", type=int, default=32, help="input height and width (3 channels)")
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--width", type=float, default=1.0, help="acaf's widthMultiplier")
    parser.add_argument("--eval-batch", type=int, default=0, help="also time inference at this batch size (0: no)")
    parser.add_argument("--expect-params", help="acaf's trainable parameter counts, name=count,...")
    parser.add_argument("--count-only", action="store_true", help="build, count parameters, one forward pass; time nothing")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    expected = parse_counts(args.expect_params)
    failed = False
    for name in filter(None, (n.strip() for n in args.networks.split(","))):
        record = {"network": name}
        try:
            if name not in NETWORKS:
                raise RuntimeError(f"no PyTorch peer (the peer has {', '.join(NETWORKS)})")
            model = build(name, args.size, args.classes, args.width)
            record["parameters"] = trainable_parameters(model)
            if name not in expected and args.width != 1:
                raise RuntimeError("pass acaf's count with --expect-params when --width is not 1")
            acaf = expected[name] if name in expected else acaf_parameters(name, args.size, args.classes)
            if record["parameters"] != acaf:
                raise RuntimeError(f"refused: {record['parameters']} trainable parameters, acaf's {name} has {acaf}")
            check_forward(model, args.size, args.classes)
            if not args.count_only:
                ms = time_training_steps(model, args.batch, args.size, args.classes, args.steps, args.warmup)
                record.update(msPerStep=ms, imagesPerSecond=args.batch * 1000 / ms, threads=torch.get_num_threads())
                # The process's resident-set high-water mark so far (acaf bench runs one network per process).
                record.update(torch=torch.__version__, peakMemoryMB=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
                if args.eval_batch:
                    ms = time_evaluation(model, args.eval_batch, args.size, args.classes, args.steps, args.warmup)
                    record.update(evalMsPerBatch=ms, evalImagesPerSecond=args.eval_batch * 1000 / ms)
        except Exception as error:  # one line per network, the others still run
            record["error"] = str(error).splitlines()[0] if str(error) else type(error).__name__
            failed = True
        print(json.dumps(record), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
