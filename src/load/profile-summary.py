#!/usr/bin/env python3
"""Summarises an async-profiler CPU profile in collapsed form taken with -t (one line per stack, the
thread first): per thread (numbers in names folded to #), its share of the samples and where its
samples' innermost frames lie (kernel, this server, Tyrus, Grizzly/servlet, Undertow/XNIO, JDK,
Redisson/Netty, the JVM itself); then, for the fan-out thread, the share under each step of a frame's way out.
Usage: src/load/profile-summary.py profile.collapsed"""
import collections
import re
import sys


def owner(frame):
    if frame.endswith('_[k]'):
        return 'kernel'
    for mark, name in (('org/redischat', 'chat'), ('glassfish/tyrus', 'tyrus'), ('glassfish/grizzly', 'grizzly/servlet'),
                       ('redisson', 'redisson/netty'), ('io/netty', 'redisson/netty'), ('io/undertow', 'undertow/xnio'),
                       ('org/xnio', 'undertow/xnio')):
        if mark in frame:
            return name
    if frame.startswith(('java/', 'jdk/', 'sun/')):
        return 'jdk'
    return 'jvm/native'


STEPS = ['Outbox.send', 'TyrusRemoteEndpoint$Async.sendText', 'TyrusServletWriter.write', '__GI_write']
threads = collections.Counter()
inner = collections.defaultdict(collections.Counter)
steps = collections.Counter()
for line in open(sys.argv[1]):
    stack, n = line.rsplit(' ', 1)
    n = int(n)
    frames = stack.split(';')
    name = re.sub(r'\d+', '#', frames[0].split(' tid=')[0].lstrip('['))
    threads[name] += n
    inner[name][owner(frames[-1])] += n
    if name == 'chat-fanout':
        for step in STEPS:
            if step in stack:
                steps[step] += n
total = sum(threads.values())
print(f'{total} samples')
for name, n in threads.most_common(10):
    print(f'{100 * n / total:5.1f}%  {name}: innermost frame in ' + ', '.join(
        f'{c} {100 * v / n:.0f}%' for c, v in inner[name].most_common()))
fanout = threads['chat-fanout']
if fanout:
    print('chat-fanout, share of its samples under: ' + ', '.join(f'{s} {100 * steps[s] / fanout:.0f}%' for s in STEPS))
