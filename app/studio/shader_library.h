#pragma once
// The studio's compiled shader programs and the empty vertex array they draw with (main thread).
#include "app/studio/shader_program.h"

namespace p2r::studio {

class ShaderLibrary {
 public:
  /// Compiles every program; throws p2r::Error with the GL log when one fails. Needs a GL context.
  ShaderLibrary();
  ~ShaderLibrary();
  ShaderLibrary(const ShaderLibrary&) = delete;
  ShaderLibrary& operator=(const ShaderLibrary&) = delete;

  const ShaderProgram& scalar_layer() const { return m_scalar; }
  const ShaderProgram& label_layer() const { return m_label; }
  const ShaderProgram& rgba_layer() const { return m_rgba; }
  /// Draws the view quad (4 vertices, no attributes) with the program in use.
  void draw_view_quad() const;

 private:
  ShaderProgram m_scalar, m_label, m_rgba;
  GLuint m_vao = 0;
};

}  // namespace p2r::studio
