#pragma once
// A linked GLSL program built from embedded sources (move-only RAII, main thread only).
#include <string>

#include "app/studio/gl.h"

namespace p2r::studio {

class ShaderProgram {
 public:
  ShaderProgram() = default;
  /// Compiles and links the embedded shader files; throws p2r::Error with the GL info log.
  ShaderProgram(const std::string& vertex_name, const std::string& fragment_name);
  ~ShaderProgram();
  ShaderProgram(ShaderProgram&& other) noexcept;
  ShaderProgram& operator=(ShaderProgram&& other) noexcept;
  ShaderProgram(const ShaderProgram&) = delete;
  ShaderProgram& operator=(const ShaderProgram&) = delete;

  void use() const { glUseProgram(m_id); }
  /// Uniform setters; the program must be in use. Unknown names are ignored (optimised away).
  void set(const char* name, int value) const;
  void set(const char* name, float value) const;
  void set(const char* name, float x, float y) const;
  void set_vec3_array(const char* name, const float* xyz, int count) const;
  GLuint id() const { return m_id; }

 private:
  GLint location(const char* name) const { return glGetUniformLocation(m_id, name); }
  GLuint m_id = 0;
};

}  // namespace p2r::studio
