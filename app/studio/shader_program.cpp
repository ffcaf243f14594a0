#include "app/studio/shader_program.h"

#include <utility>
#include <vector>

#include "app/studio/shader_sources.h"
#include "core/common/error.h"

namespace p2r::studio {
namespace {

GLuint compile(GLenum kind, const std::string& name) {
  const char* source = shader_source(name);
  GLuint shader = glCreateShader(kind);
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    GLint length = 0;
    glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
    std::vector<char> log(size_t(length) + 1, '\0');
    glGetShaderInfoLog(shader, length, nullptr, log.data());
    glDeleteShader(shader);
    P2R_FAIL("shader " << name << " does not compile: " << log.data());
  }
  return shader;
}

}  // namespace

ShaderProgram::ShaderProgram(const std::string& vertex_name, const std::string& fragment_name) {
  GLuint vs = compile(GL_VERTEX_SHADER, vertex_name);
  GLuint fs = 0;
  try {
    fs = compile(GL_FRAGMENT_SHADER, fragment_name);
  } catch (...) {
    glDeleteShader(vs);
    throw;
  }
  m_id = glCreateProgram();
  glAttachShader(m_id, vs);
  glAttachShader(m_id, fs);
  glLinkProgram(m_id);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(m_id, GL_LINK_STATUS, &ok);
  if (!ok) {
    GLint length = 0;
    glGetProgramiv(m_id, GL_INFO_LOG_LENGTH, &length);
    std::vector<char> log(size_t(length) + 1, '\0');
    glGetProgramInfoLog(m_id, length, nullptr, log.data());
    glDeleteProgram(m_id);
    m_id = 0;
    P2R_FAIL("shaders " << vertex_name << " + " << fragment_name << " do not link: " << log.data());
  }
}

ShaderProgram::~ShaderProgram() {
  if (m_id) glDeleteProgram(m_id);
}

ShaderProgram::ShaderProgram(ShaderProgram&& other) noexcept { *this = std::move(other); }

ShaderProgram& ShaderProgram::operator=(ShaderProgram&& other) noexcept {
  if (this != &other) {
    if (m_id) glDeleteProgram(m_id);
    m_id = std::exchange(other.m_id, 0);
  }
  return *this;
}

void ShaderProgram::set(const char* name, int value) const { glUniform1i(location(name), value); }
void ShaderProgram::set(const char* name, float value) const { glUniform1f(location(name), value); }
void ShaderProgram::set(const char* name, float x, float y) const {
  glUniform2f(location(name), x, y);
}
void ShaderProgram::set_vec3_array(const char* name, const float* xyz, int count) const {
  glUniform3fv(location(name), count, xyz);
}

}  // namespace p2r::studio
