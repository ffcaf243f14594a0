#pragma once
// Batches of Chaitanya et al.'s global stage: each volume's slices split into partitions by relative
// position, one slice per partition from each of several volumes. Reads volume records, never labels.
// No Torch.
#include <cstdint>
#include <vector>

#include "core/data/slice_set.h"

namespace p2r {

/// The partition (0..partitions-1) of slice index of data by its relative position in its volume:
/// floor((index - first_slice) * partitions / slice_count).
int slice_partition(const SliceSet& data, int index, int partitions);

/// One volume's rows by partition: partitions[p] holds positions into the row list that was split.
struct PartitionedVolume {
  std::vector<std::vector<int64_t>> partitions;
};

/// Splits rows (slice indices into data) by volume and partition, keeping only the volumes with a
/// row in every partition, in the order of their first row.
std::vector<PartitionedVolume> partition_volumes(const SliceSet& data, const std::vector<int64_t>& rows,
                                                 int partitions);

/// A global-stage batch: positions into the split rows and each one's partition.
struct PartitionBatch {
  std::vector<int64_t> rows;
  std::vector<int64_t> partitions;
};

/// Volumes order[first], order[first + 1], ... (count of them, cyclically; order holds indices into
/// volumes), each contributing one row per partition chosen by a generator seeded with seed; rows
/// are ordered volume by volume, partition by partition.
PartitionBatch partition_batch(const std::vector<PartitionedVolume>& volumes, const std::vector<int64_t>& order,
                               int64_t first, int count, uint64_t seed);

}  // namespace p2r
