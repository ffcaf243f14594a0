#pragma once
// GLSL sources of shaders/*.glsl, embedded into the binary at build time (embed_shaders.cmake).
#include <string>

namespace p2r::studio {

/// Source text of the shader file name (e.g. "image_quad.vert.glsl"); throws p2r::Error if unknown.
const char* shader_source(const std::string& name);

}  // namespace p2r::studio
