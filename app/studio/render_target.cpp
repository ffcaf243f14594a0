#include "app/studio/render_target.h"

#include "core/common/error.h"

namespace p2r::studio {

RenderTarget::~RenderTarget() {
  if (m_fbo) glDeleteFramebuffers(1, &m_fbo);
}

void RenderTarget::resize(int width, int height) {
  if (width < 1) width = 1;
  if (height < 1) height = 1;
  if (m_fbo && width == m_color.width() && height == m_color.height()) return;
  m_color.allocate_rgba8(width, height);
  if (!m_fbo) glGenFramebuffers(1, &m_fbo);
  glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_color.id(), 0);
  const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  P2R_CHECK(status == GL_FRAMEBUFFER_COMPLETE, "offscreen framebuffer incomplete (0x" << std::hex
                                                                                     << status << ")");
}

void RenderTarget::begin() {
  glGetIntegerv(GL_FRAMEBUFFER_BINDING, &m_previous_fbo);
  glGetIntegerv(GL_VIEWPORT, m_previous_viewport);
  glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
  glViewport(0, 0, m_color.width(), m_color.height());
}

void RenderTarget::end() {
  glBindFramebuffer(GL_FRAMEBUFFER, GLuint(m_previous_fbo));
  glViewport(m_previous_viewport[0], m_previous_viewport[1], m_previous_viewport[2],
             m_previous_viewport[3]);
}

}  // namespace p2r::studio
