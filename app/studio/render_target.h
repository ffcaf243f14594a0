#pragma once
// An offscreen framebuffer with one RGBA8 colour texture: the image view renders its layers here
// and ImGui shows the texture.
#include "app/studio/gl_texture.h"

namespace p2r::studio {

class RenderTarget {
 public:
  RenderTarget() = default;
  ~RenderTarget();
  RenderTarget(const RenderTarget&) = delete;
  RenderTarget& operator=(const RenderTarget&) = delete;

  /// (Re)allocates to width x height if the size changed (both >= 1).
  void resize(int width, int height);
  /// Binds the framebuffer and sets the viewport to its size; end() restores the previous binding.
  void begin();
  void end();
  const GlTexture& texture() const { return m_color; }
  int width() const { return m_color.width(); }
  int height() const { return m_color.height(); }

 private:
  GLuint m_fbo = 0;
  GlTexture m_color;
  GLint m_previous_fbo = 0;
  GLint m_previous_viewport[4] = {0, 0, 0, 0};
};

}  // namespace p2r::studio
