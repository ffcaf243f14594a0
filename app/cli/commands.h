#pragma once
// Registration of the pix2rep subcommands; each add_* function adds its subcommands to app.
#include <CLI/CLI.hpp>

namespace p2r::cli {

/// phantom, prepare, info.
void add_data_commands(CLI::App& app);

/// pretrain (Pix2Rep / Pix2Rep-v2 pretraining, resume).
void add_pretrain_command(CLI::App& app);

/// probe, finetune, train-supervised, predict, evaluate, benchmark.
void add_segment_commands(CLI::App& app);

/// scribble-simulate, scribble-train (with ITK).
void add_scribble_commands(CLI::App& app);
/// bench scribbles (with ITK); added under the `bench` subcommand.
void add_scribble_bench_command(CLI::App& bench);

/// bench pretrain-step.
void add_bench_command(CLI::App& app);

/// bench tsne (t-SNE time and KL on raw float32 points); added under the `bench` subcommand.
void add_tsne_bench_command(CLI::App& bench);

/// embed, query (always); tsne, index build|search (with FAISS).
void add_analysis_commands(CLI::App& app);
/// tsne (pixel-embedding t-SNE with colourings); needs FAISS.
void add_tsne_command(CLI::App& app);
/// index build|search (nearest-pixel FAISS index); needs FAISS.
void add_index_commands(CLI::App& app);
/// bench query (similarity-query latency, extraction throughput); added under `bench`.
void add_query_bench_command(CLI::App& bench);

/// figure similarity|embedding|segmentation|dice|table, figure --from SIDECAR (with the viz library).
void add_figure_commands(CLI::App& app);

}  // namespace p2r::cli
