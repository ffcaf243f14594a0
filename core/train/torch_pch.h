#pragma once
// Precompiled header of the Torch sources of pix2rep_core (model/, train/). Never include it from a
// public header: the GUI must not see Torch.
#include <torch/torch.h>
