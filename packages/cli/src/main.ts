#!/usr/bin/env node
console.log('seqloom: command line under construction');
