#pragma once
// A 2D OpenGL texture owned by the main thread (move-only RAII).
#include <cstdint>

#include "app/studio/gl.h"

namespace p2r::studio {

class GlTexture {
 public:
  GlTexture() = default;
  ~GlTexture();
  GlTexture(GlTexture&& other) noexcept;
  GlTexture& operator=(GlTexture&& other) noexcept;
  GlTexture(const GlTexture&) = delete;
  GlTexture& operator=(const GlTexture&) = delete;

  /// Uploads width x height floats (row-major, row 0 first) as GL_R32F. Grey display: the texture
  /// swizzle is (R, R, R, 1) so it also shows grey through ImGui::Image.
  void upload_r32f(const float* values, int width, int height);
  /// Uploads bytes as GL_R8 (labels, masks), swizzled (R, R, R, 1) since core GL has no LUMINANCE.
  void upload_r8(const uint8_t* values, int width, int height);
  /// Uploads RGBA bytes as GL_RGBA8.
  void upload_rgba8(const uint8_t* rgba, int width, int height);
  /// Allocates an empty RGBA8 texture (render targets).
  void allocate_rgba8(int width, int height);
  /// GL_NEAREST (default) or GL_LINEAR sampling.
  void set_smooth(bool smooth);

  GLuint id() const { return m_id; }
  int width() const { return m_width; }
  int height() const { return m_height; }
  bool valid() const { return m_id != 0; }
  /// Binds to texture unit `unit`.
  void bind(int unit) const;

 private:
  void upload(GLint internal_format, GLenum format, GLenum type, const void* data, int width,
              int height, bool grey_swizzle);
  GLuint m_id = 0;
  int m_width = 0, m_height = 0;
};

}  // namespace p2r::studio
