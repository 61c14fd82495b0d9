/* Writes real struct input_event records, laid out by the kernel's own header, for the evdev
 * scanner tests. The test machines have no input device and no uinput (the kernel is built
 * without CONFIG_INPUT_UINPUT), so a FIFO stands in for /dev/input/eventN and this program
 * plays the kernel's part of writing events into it.
 *
 *   evdev_writer PATH < events    one event per line: "sec usec type code value"
 *   evdev_writer --size           prints sizeof(struct input_event)
 */
#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--size") == 0) {
        printf("%zu\n", sizeof(struct input_event));
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: evdev_writer PATH < events | evdev_writer --size\n");
        return 2;
    }
    int fd = open(argv[1], O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    long sec, usec;
    unsigned type, code;
    int value;
    while (scanf("%ld %ld %u %u %d", &sec, &usec, &type, &code, &value) == 5) {
        struct input_event event;
        memset(&event, 0, sizeof event);
        event.input_event_sec = sec;
        event.input_event_usec = usec;
        event.type = (__u16)type;
        event.code = (__u16)code;
        event.value = value;
        if (write(fd, &event, sizeof event) != (ssize_t)sizeof event) {
            perror("write");
            return 1;
        }
    }
    return close(fd) == 0 ? 0 : 1;
}
