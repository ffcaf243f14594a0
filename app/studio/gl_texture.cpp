#include "app/studio/gl_texture.h"

#include <utility>

namespace p2r::studio {

GlTexture::~GlTexture() {
  if (m_id) glDeleteTextures(1, &m_id);
}

GlTexture::GlTexture(GlTexture&& other) noexcept { *this = std::move(other); }

GlTexture& GlTexture::operator=(GlTexture&& other) noexcept {
  if (this != &other) {
    if (m_id) glDeleteTextures(1, &m_id);
    m_id = std::exchange(other.m_id, 0);
    m_width = other.m_width;
    m_height = other.m_height;
  }
  return *this;
}

void GlTexture::upload(GLint internal_format, GLenum format, GLenum type, const void* data,
                       int width, int height, bool grey_swizzle) {
  if (!m_id) {
    glGenTextures(1, &m_id);
    glBindTexture(GL_TEXTURE_2D, m_id);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  }
  glBindTexture(GL_TEXTURE_2D, m_id);
  if (grey_swizzle) {
    const GLint swizzle[4] = {GL_RED, GL_RED, GL_RED, GL_ONE};
    glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
  }
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, internal_format, width, height, 0, format, type, data);
  m_width = width;
  m_height = height;
}

void GlTexture::upload_r32f(const float* values, int width, int height) {
  upload(GL_R32F, GL_RED, GL_FLOAT, values, width, height, true);
}

void GlTexture::upload_r8(const uint8_t* values, int width, int height) {
  upload(GL_R8, GL_RED, GL_UNSIGNED_BYTE, values, width, height, true);
}

void GlTexture::upload_rgba8(const uint8_t* rgba, int width, int height) {
  upload(GL_RGBA8, GL_RGBA, GL_UNSIGNED_BYTE, rgba, width, height, false);
}

void GlTexture::allocate_rgba8(int width, int height) {
  upload(GL_RGBA8, GL_RGBA, GL_UNSIGNED_BYTE, nullptr, width, height, false);
}

void GlTexture::set_smooth(bool smooth) {
  if (!m_id) return;
  glBindTexture(GL_TEXTURE_2D, m_id);
  const GLint filter = smooth ? GL_LINEAR : GL_NEAREST;
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
}

void GlTexture::bind(int unit) const {
  glActiveTexture(GLenum(GL_TEXTURE0 + unit));
  glBindTexture(GL_TEXTURE_2D, m_id);
}

}  // namespace p2r::studio
