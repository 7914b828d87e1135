/** Root of the aistream API: the exception hierarchy and error codes shared by every module. */
package io.aistream;
