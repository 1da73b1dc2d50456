# find_package(OpenCV COMPONENTS core imgproc ...) with only Debian's per-module packages
# (libopencv-core-dev, libopencv-imgproc-dev): OpenCV's own CMake config is in libopencv-dev,
# which pulls every module (GUI, video, VTK, ...). That config is used when it is installed.
# Defines the imported targets opencv_<component>, OpenCV_LIBS and OpenCV_INCLUDE_DIRS.
find_package(OpenCV CONFIG QUIET COMPONENTS ${OpenCV_FIND_COMPONENTS})
if(OpenCV_FOUND)
  return()
endif()

find_path(OpenCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4)
set(OpenCV_LIBS)
foreach(component ${OpenCV_FIND_COMPONENTS})
  find_library(OpenCV_${component}_LIBRARY opencv_${component})
  if(OpenCV_${component}_LIBRARY AND OpenCV_INCLUDE_DIR)
    if(NOT TARGET opencv_${component})
      add_library(opencv_${component} UNKNOWN IMPORTED)
      set_target_properties(opencv_${component} PROPERTIES
        IMPORTED_LOCATION "${OpenCV_${component}_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${OpenCV_INCLUDE_DIR}")
    endif()
    list(APPEND OpenCV_LIBS opencv_${component})
    set(OpenCV_${component}_FOUND TRUE)
  endif()
endforeach()
set(OpenCV_INCLUDE_DIRS ${OpenCV_INCLUDE_DIR})

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(OpenCV REQUIRED_VARS OpenCV_INCLUDE_DIR HANDLE_COMPONENTS)
mark_as_advanced(OpenCV_INCLUDE_DIR)
