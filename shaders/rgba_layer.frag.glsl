#version 330 core
// An RGBA8 image (t-SNE / PCA colours, selections): its colour, alpha times the layer's opacity.
uniform sampler2D u_rgba;  // RGBA8, nearest
uniform float u_opacity;
in vec2 v_uv;
out vec4 frag_color;

void main() {
  if (any(lessThan(v_uv, vec2(0.0))) || any(greaterThanEqual(v_uv, vec2(1.0)))) discard;
  vec4 c = texture(u_rgba, v_uv);
  if (c.a <= 0.0) discard;
  frag_color = vec4(c.rgb, c.a * u_opacity);
}
