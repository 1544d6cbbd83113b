# Two front ends on one capture core (src/capture-core.cc):
#   netlab_capture   the N-API addon (build/Release/netlab_capture.node), loaded by native/index.ts
#   netlab-capture   the capture helper executable (build/Release/netlab-capture), the app's dumpcap
# Built by `npm run build:native` (node-gyp rebuild --directory native). Platform needs (README):
#   Linux    libpcap-dev, g++, make, python3
#   macOS    Xcode command line tools (libpcap ships with the SDK)
#   Windows  Visual Studio Build Tools and the Npcap SDK, unpacked where NPCAP_SDK points
#            (default C:\npcap-sdk); Npcap itself installed to capture
{
  "variables": {
    "npcap_sdk%": "<!(node -p \"process.env.NPCAP_SDK || 'C:/npcap-sdk'\")"
  },
  "target_defaults": {
    "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra"],
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
    "conditions": [
      ["OS=='mac'", {
        "xcode_settings": {
          "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
          "MACOSX_DEPLOYMENT_TARGET": "11.0",
          "GCC_ENABLE_CPP_EXCEPTIONS": "YES"
        },
        "link_settings": { "libraries": ["-lpcap"] }
      }],
      ["OS=='linux'", {
        "link_settings": { "libraries": ["-lpcap"] }
      }],
      ["OS=='win'", {
        "include_dirs": ["<(npcap_sdk)/Include"],
        "defines": ["WIN32_LEAN_AND_MEAN", "NOMINMAX", "_CRT_SECURE_NO_WARNINGS"],
        "msvs_settings": {
          "VCCLCompilerTool": { "AdditionalOptions": ["/std:c++17"], "ExceptionHandling": 1 },
          # Npcap installs wpcap.dll in System32\Npcap, loaded at first use (delay-load), so the app
          # starts and explains what to install when Npcap is missing.
          "VCLinkerTool": { "DelayLoadDLLs": ["wpcap.dll"] }
        },
        "link_settings": {
          "libraries": ["<(npcap_sdk)/Lib/x64/wpcap.lib", "ws2_32.lib", "delayimp.lib"]
        }
      }]
    ]
  },
  "targets": [
    {
      "target_name": "netlab_capture",
      "sources": ["src/capture-core.cc", "src/addon.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      # N-API only (no V8/NAN): one binary for Node and every Electron version.
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"]
    },
    {
      "target_name": "netlab-capture",
      "type": "executable",
      "sources": ["src/capture-core.cc", "src/helper.cc"]
    }
  ]
}
