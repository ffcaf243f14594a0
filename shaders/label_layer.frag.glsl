#version 330 core
// A label map (ACDC convention) drawn with a palette; label 0 is transparent.
uniform sampler2D u_labels;       // R8, label / 255
uniform vec3 u_palette[8];
uniform float u_opacity;
uniform int u_only_label;         // -1: all labels; otherwise show only this one
in vec2 v_uv;
out vec4 frag_color;

void main() {
  if (any(lessThan(v_uv, vec2(0.0))) || any(greaterThanEqual(v_uv, vec2(1.0)))) discard;
  int label = int(texture(u_labels, v_uv).r * 255.0 + 0.5);
  if (label == 0 || (u_only_label >= 0 && label != u_only_label)) discard;
  frag_color = vec4(u_palette[label % 8], u_opacity);
}
