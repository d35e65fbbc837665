"""PyTorch peer of one ntk-constancy cell, for `npm run bench -- --cell ntk-constancy/ARM/WIDTH`.

The same computation as theorems/ntk-constancy/check.ts runCell, written as a PyTorch user who cares about speed would:
two hidden layers of width n in the NTK parametrization, 16 training + 16 test points on S^7, the empirical NTK on all
32 points by the layer-wise formula (one forward pass and one backward pass of explicit deltas, no per-sample autograd),
eta = 1 / lambda_max(Theta_0 / m), `steps` full-batch gradient-descent steps with autograd and an in-place update, and
the NTK and the training loss again at 8 evenly spaced checkpoints. float32, one thread (the caller sets
OMP_NUM_THREADS=1; torch.set_num_threads(1) here too). The data and initial weights are PyTorch's own draws: the shapes
and the work are tdlv's, the random numbers are not. Prints {"seconds": ...} on stdout.
"""
import argparse
import json
import math
import time

import torch

ARMS = {
    "tanh": ("tanh", 1.5),
    "erf": ("erf", 1.5),
    "relu": ("relu", 2.0),
    "tanh-standard": ("tanh", 1.5),
}


def activation(name):
    if name == "tanh":
        return torch.tanh, lambda z: 1 - torch.tanh(z) ** 2
    if name == "erf":
        return torch.erf, lambda z: (2 / math.sqrt(math.pi)) * torch.exp(-z * z)
    return torch.relu, lambda z: (z > 0).to(z.dtype)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--arm", default="tanh", choices=sorted(ARMS))
    parser.add_argument("--width", type=int, default=2048)
    parser.add_argument("--steps", type=int, default=128)
    parser.add_argument("--checkpoints", type=int, default=8)
    parser.add_argument("--cells", type=int, default=1, help="cells run one after another in this process")
    args = parser.parse_args()
    torch.set_num_threads(1)
    runs = [run_cell(args, seed) for seed in range(args.cells)]
    first = runs[0]
    print(
        json.dumps(
            {
                "seconds": first["seconds"],
                "laterSeconds": [r["seconds"] for r in runs[1:]],
                "torch": torch.__version__,
                "ntkChange": first["ntkChange"],
                "finalLoss": first["finalLoss"],
            }
        )
    )


def run_cell(args, seed):
    """One cell, timed from its first draw to its last checkpoint."""
    torch.manual_seed(seed)
    act_name, sigma_w2 = ARMS[args.arm]
    phi, dphi = activation(act_name)
    sw, sb = math.sqrt(sigma_w2), math.sqrt(0.1)
    d, n, m = 8, args.width, 16

    start = time.perf_counter()
    X = torch.randn(2 * m, d)
    X = X / X.norm(dim=1, keepdim=True)
    Y = (X[:m, 0] + X[:m, 1] * X[:m, 2] - torch.sin(2 * X[:m, 3]) / 2).unsqueeze(1)
    dims = [d, n, n, 1]
    Ws = [torch.randn(dims[l], dims[l + 1], requires_grad=True) for l in range(3)]
    bs = [torch.randn(dims[l + 1], requires_grad=True) for l in range(3)]
    scales = [sw / math.sqrt(dims[l]) for l in range(3)]

    def forward(x):
        pre, post = [], [x]
        h = x
        for l in range(3):
            z = scales[l] * (h @ Ws[l]) + sb * bs[l]
            if l < 2:
                pre.append(z)
                h = phi(z)
                post.append(h)
            else:
                return z, pre, post

    @torch.no_grad()
    def ntk(x):
        out, pre, post = forward(x)
        delta = torch.ones_like(out)
        theta = torch.zeros(x.shape[0], x.shape[0])
        for l in range(2, -1, -1):
            dd = delta @ delta.T
            theta += scales[l] ** 2 * dd * (post[l] @ post[l].T) + sb**2 * dd
            if l > 0:
                delta = scales[l] * (delta @ Ws[l].T) * dphi(pre[l - 1])
        return theta

    theta0 = ntk(X)
    eta = 1.0 / (torch.linalg.eigvalsh(theta0[:m, :m].double())[-1].item() / m)
    every = max(1, args.steps // args.checkpoints)
    sup = 0.0
    params = Ws + bs
    for t in range(1, args.steps + 1):
        out = forward(X[:m])[0]
        loss = ((out - Y) ** 2).sum() / (2 * m)
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.add_(p.grad, alpha=-eta)
        if t % every == 0 or t == args.steps:
            change = (ntk(X) - theta0).norm() / theta0.norm()
            sup = max(sup, change.item())
            with torch.no_grad():
                float((((forward(X[:m])[0] - Y) ** 2).sum() / (2 * m)).item())
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "ntkChange": sup, "finalLoss": loss.item()}


if __name__ == "__main__":
    main()
