#version 330 core
// A quad covering the view; maps each corner to the image coordinate shown there.
// u_view_size: view size in pixels; u_scale: screen pixels per image pixel;
// u_center: view coordinate at the view centre; the layer's texture covers the rectangle
// [u_origin, u_origin + u_extent] of view coordinates (the view's reference grid: the first layer's
// pixels, or a native slice on which prepared-space layers sit at their crop).
uniform vec2 u_view_size;
uniform float u_scale;
uniform vec2 u_center;
uniform vec2 u_origin;
uniform vec2 u_extent;
out vec2 v_uv;  // image texture coordinate; outside [0,1] means off the image

void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1));  // triangle strip
  vec2 screen = corner * u_view_size;  // pixels, y down (the view is shown flipped)
  vec2 image = (screen - 0.5 * u_view_size) / u_scale + u_center;
  v_uv = (image - u_origin) / u_extent;
  gl_Position = vec4(corner.x * 2.0 - 1.0, 1.0 - corner.y * 2.0, 0.0, 1.0);
}
