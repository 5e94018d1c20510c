# -ffp-contract=off: no fused multiply-adds, so every float operation rounds once, as tfjs's do.
{
  "targets": [
    {
      "target_name": "onednn_kernels",
      "sources": ["src/addon.cc", "src/onednn.cc", "src/napi-args.cc", "src/convolution.cc", "src/convolution-by-columns.cc", "src/matmul.cc", "src/lrn.cc", "src/concat.cc",
                  "src/elementwise.cc", "src/batch-norm.cc", "src/pooling.cc", "src/optimizer-updates.cc"],
      "cflags_cc": ["-std=c++17", "-O3", "-march=native", "-fopenmp", "-fexceptions", "-ffp-contract=off"],
      "cflags_cc!": ["-fno-exceptions"],
      "include_dirs": ["<!(node -p \"process.env.DNNL_INCLUDE || '/usr/include'\")"],
      "libraries": ["-ldnnl", "-fopenmp"]
    }
  ]
}
