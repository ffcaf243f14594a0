#include "core/train/slice_partitions.h"

#include <map>
#include <random>

#include "core/common/error.h"

namespace p2r {

int slice_partition(const SliceSet& data, int index, int partitions) {
  const VolumeRecord& v = data.volume_of(index);
  P2R_CHECK(v.slice_count > 0 && index >= v.first_slice && index < v.first_slice + v.slice_count,
            "slice " << index << " lies outside its volume's slices (" << v.subject << ")");
  return int(int64_t(index - v.first_slice) * partitions / v.slice_count);
}

std::vector<PartitionedVolume> partition_volumes(const SliceSet& data, const std::vector<int64_t>& rows,
                                                 int partitions) {
  std::vector<int> volume_order;
  std::map<int, PartitionedVolume> by_volume;
  for (size_t r = 0; r < rows.size(); ++r) {
    const int volume = data.slices[size_t(rows[r])].volume;
    auto [it, added] = by_volume.try_emplace(volume);
    if (added) {
      it->second.partitions.resize(size_t(partitions));
      volume_order.push_back(volume);
    }
    it->second.partitions[size_t(slice_partition(data, int(rows[r]), partitions))].push_back(int64_t(r));
  }
  std::vector<PartitionedVolume> out;
  for (int volume : volume_order) {
    const PartitionedVolume& v = by_volume[volume];
    bool complete = true;
    for (const auto& p : v.partitions) complete = complete && !p.empty();
    if (complete) out.push_back(v);
  }
  return out;
}

PartitionBatch partition_batch(const std::vector<PartitionedVolume>& volumes, const std::vector<int64_t>& order,
                               int64_t first, int count, uint64_t seed) {
  P2R_CHECK(!order.empty() && size_t(count) <= order.size(),
            "a batch of " << count << " volumes needs at least as many volumes with a slice in every partition, "
                          << "there are " << order.size());
  std::mt19937_64 rng(seed);
  PartitionBatch batch;
  for (int i = 0; i < count; ++i) {
    const PartitionedVolume& v = volumes[size_t(order[size_t((first + i) % int64_t(order.size()))])];
    for (size_t p = 0; p < v.partitions.size(); ++p) {
      const auto& candidates = v.partitions[p];
      batch.rows.push_back(candidates[size_t(rng() % candidates.size())]);
      batch.partitions.push_back(int64_t(p));
    }
  }
  return batch;
}

}  // namespace p2r
