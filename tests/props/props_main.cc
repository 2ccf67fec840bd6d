// The Boost.Test module of the property suite (core_props).
#define BOOST_TEST_MODULE stockroom_props
#include <boost/test/unit_test.hpp>
