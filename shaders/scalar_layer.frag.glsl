#version 330 core
// A scalar image through a window [u_low, u_high] and a colour-map lookup table.
uniform sampler2D u_values;    // R32F
uniform sampler2D u_colormap;  // 256 x 1 RGBA8
uniform float u_low;
uniform float u_high;
uniform float u_opacity;
in vec2 v_uv;
out vec4 frag_color;

void main() {
  if (any(lessThan(v_uv, vec2(0.0))) || any(greaterThanEqual(v_uv, vec2(1.0)))) discard;
  float v = texture(u_values, v_uv).r;
  float t = u_high > u_low ? clamp((v - u_low) / (u_high - u_low), 0.0, 1.0) : step(u_low, v);
  // Sample the centre of entry round(t * 255), as the CPU reference does.
  float index = floor(t * 255.0 + 0.5);
  vec3 rgb = texture(u_colormap, vec2((index + 0.5) / 256.0, 0.5)).rgb;
  frag_color = vec4(rgb, u_opacity);
}
