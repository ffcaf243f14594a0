#include "app/studio/shader_library.h"

namespace p2r::studio {

ShaderLibrary::ShaderLibrary()
    : m_scalar("image_quad.vert.glsl", "scalar_layer.frag.glsl"),
      m_label("image_quad.vert.glsl", "label_layer.frag.glsl"),
      m_rgba("image_quad.vert.glsl", "rgba_layer.frag.glsl") {
  glGenVertexArrays(1, &m_vao);
}

ShaderLibrary::~ShaderLibrary() {
  if (m_vao) glDeleteVertexArrays(1, &m_vao);
}

void ShaderLibrary::draw_view_quad() const {
  glBindVertexArray(m_vao);
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  glBindVertexArray(0);
}

}  // namespace p2r::studio
