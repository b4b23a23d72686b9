/* dsc-cost report: draws every chart and table of the page from its dsc-cost-data block, as SVG and
   HTML, with no library and no request. Part of dsc-cost (MIT licence). */
(function () {
  "use strict";

  var DATA = parseExact(document.getElementById("dsc-cost-data").textContent);
  var INPUTS = JSON.parse(document.getElementById("dsc-cost-inputs").textContent);
  var TEXT = JSON.parse((document.getElementById("dsc-cost-text") || {}).textContent || "{}") || {};
  (DATA.networks || []).forEach(function (net, n) {
    // what each layer reads: the inputs block, else the layer's own "inputs", else the layer before it
    (net.layers || []).forEach(function (layer, i) {
      if (INPUTS && INPUTS[n]) layer.inputs = INPUTS[n][i];
      if (!layer.inputs) layer.inputs = [i > 0 ? net.layers[i - 1].name : "input"];
    });
  });
  var GENERATOR = document.querySelector("meta[name=generator]").getAttribute("content");
  var SVG = "http://www.w3.org/2000/svg";
  var ROOT = document.getElementById("report");
  var KINDS = { conv: "full conv", depthwise: "depthwise", pointwise: "pointwise 1×1", linear: "linear", other: "other" };
  var MAX_BARS = 1000; // more layers than this are drawn as bars of consecutive layers
  var BAR_SLOT = 6; // the narrowest slot of one layer's bars, in pixels (wider charts scroll)
  var PAGE = 100; // table rows per page
  var GRAPH_PAGE = 300; // graph nodes per page

  // ------------------------------------------------------------ numbers
  // Every integer of the data is read exactly: one beyond 2^53 - 1, where a JavaScript number rounds, as a BigInt.
  // Sums of them are exact (add), ratios and chart positions floats. Short forms (10.75M, 6.322 MB, decimal units)
  // are dsc-cost's own, written in Python as its tables write them: the dsc-cost-text block.

  function parseExact(text) {
    // JSON.parse, but an integer literal beyond Number.MAX_SAFE_INTEGER is first turned into a string marked by a
    // leading U+0001 (a string of the data that begins with one gains another), which the reviver makes a BigInt
    if (!/(^|[^.\d])-?\d{16}/.test(text)) return JSON.parse(text);
    var marked = text.replace(/"(?:[^"\\]|\\.)*"(\s*:)?|-?\d+(\.\d+)?([eE][+-]?\d+)?/g, function (token, key, fraction, exponent) {
      if (token.charAt(0) === '"') return key || token.slice(0, 7) !== '"\\u0001' ? token : '"\\u0001' + token.slice(1);
      if (fraction || exponent || Number.isSafeInteger(Number(token))) return token;
      return '"\\u0001' + token + '"';
    });
    return JSON.parse(marked, function (key, value) {
      if (typeof value !== "string" || value.charCodeAt(0) !== 1) return value;
      return value.charCodeAt(1) === 1 ? value.slice(1) : BigInt(value.slice(1));
    });
  }
  function add(a, b) {
    // the exact sum of two integers (numbers or BigInts)
    if (typeof a === "number" && typeof b === "number" && Number.isSafeInteger(a + b)) return a + b;
    return BigInt(a) + BigInt(b);
  }
  function ratio(a, b) {
    // a / b as a float (0 when b is 0); integers beyond a float's range are cut to their leading digits first
    var x = Number(a), y = Number(b);
    if (!isFinite(x) || !isFinite(y)) {
      var cut = BigInt(10) ** BigInt(Math.max(String(a).length, String(b).length) - 300);
      x = Number(BigInt(a) / cut); y = Number(BigInt(b) / cut);
    }
    return y ? x / y : 0;
  }
  function exact(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function known(table, n) {
    var texts = TEXT[table] || {}, key = String(n);
    return Object.prototype.hasOwnProperty.call(texts, key) ? texts[key] : null;
  }
  function tick(v, names) {
    // an axis tick's label, a round value, as dsc_cost.units writes it: four significant digits and names[k] for
    // 1000^k (from 1e15 on, scientific)
    var a = Math.abs(v);
    if (a >= 1e15) {
      var parts = v.toExponential(3).split("e");
      return parts[0].replace(/\.?0+$/, "") + "e" + parts[1].replace("+", "") + names[0];
    }
    for (var k = 4; k > 0; k--) {
      if (a >= Math.pow(1000, k)) return (v / Math.pow(1000, k)).toPrecision(4).replace(/\.0+$|(\.\d*?)0+$/, "$1") + names[k];
    }
    return String(+v.toPrecision(4)) + names[0];
  }
  function short(n) { var text = known("counts", n); return text !== null ? text : tick(Number(n), ["", "K", "M", "G", "T"]); }
  function bytes(n) { var text = known("bytes", n); return text !== null ? text : tick(Number(n), [" B", " kB", " MB", " GB", " TB"]); }

  // ------------------------------------------------------------ helpers

  function seconds(t) {
    if (!(t > 0)) return "0";
    var units = [[1, " s"], [1e-3, " ms"], [1e-6, " µs"], [1e-9, " ns"]];
    for (var i = 0; i < units.length; i++) if (t >= units[i][0] || i === units.length - 1) return (t / units[i][0]).toPrecision(4) + units[i][1];
  }
  function percent(f) { return (100 * f).toFixed(2) + " %"; }
  function shape(s) {
    if (!s) return "";
    var values = [];
    for (var key in s) if (Object.prototype.hasOwnProperty.call(s, key)) values.push(s[key]);
    return values.join("×");
  }
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var key in attrs || {}) {
      if (key === "text") node.textContent = attrs[key];
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), attrs[key]);
      else node.setAttribute(key, attrs[key]);
    }
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function s(tag, attrs, parent) {
    var node = document.createElementNS(SVG, tag);
    for (var key in attrs || {}) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    }
    if (tag === "svg") node.setAttribute("viewBox", "0 0 " + attrs.width + " " + attrs.height); // scales when printed
    if (parent) parent.appendChild(node);
    return node;
  }
  function widthOf(node, fallback) { return Math.max(320, Math.floor(node.clientWidth || fallback || 900)); }
  function ticks(max, count) {
    if (!(max > 0)) return [0];
    var step = Math.pow(10, Math.floor(Math.log10(max / count)));
    var err = max / count / step;
    step *= err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1;
    var out = [];
    for (var v = 0; v <= max * 1.0001; v += step) out.push(v);
    return out;
  }
  function rows(cells, heads) {
    return h("table", {}, cells.map(function (pair) {
      return h("tr", {}, [h("td", { text: pair[0] }), h("td", { class: "num", text: pair[1] })]);
    }).concat(heads || []));
  }
  function tooltipFor(box) {
    var tip = h("div", { class: "tooltip", role: "tooltip", hidden: "" });
    box.appendChild(tip);
    return {
      node: tip,
      show: function (content, x, y) {
        tip.textContent = "";
        tip.appendChild(content);
        tip.hidden = false;
        var left = x + 14, top = y - tip.offsetHeight - 12;
        if (left > box.clientWidth - tip.offsetWidth - 4) left = Math.max(0, x - tip.offsetWidth - 14);
        if (top < 0) top = y + 14;
        tip.style.left = left + "px";
        tip.style.top = top + "px";
      },
      hide: function () { tip.hidden = true; }
    };
  }

  // ------------------------------------------------------------ the per-layer bars

  function bins(layers, metric, count) {
    // [{first, last, value, standard, separable}] of ``count`` groups of consecutive layers
    var out = [], n = layers.length, size = Math.ceil(n / count);
    for (var start = 0; start < n; start += size) {
      var bin = { first: start, last: Math.min(n, start + size) - 1, value: 0, standard: 0, separable: 0 };
      for (var i = bin.first; i <= bin.last; i++) {
        var layer = layers[i];
        bin.value += Number(layer[metric]);
        bin.standard += Number(layer.standard[metric]);
        bin.separable += Number(layer.separable[metric]);
      }
      out.push(bin);
    }
    return out;
  }

  function barChart(net, box) {
    var layers = net.layers;
    var state = { metric: "mults", log: false };
    var controls = h("div", { class: "controls" }, [
      h("span", {}, ["Bars of ",
        radio("mults", true), " mults ", radio("params", false), " params"]),
      h("label", {}, [h("input", { type: "checkbox", class: "log", onchange: function (e) { state.log = e.target.checked; draw(); } }), " log scale"]),
      h("span", { class: "legend" }, [
        h("span", {}, [h("i", { style: "background:var(--standard)" }), "as standard"]),
        h("span", {}, [h("i", { style: "background:var(--this)" }), "this network"]),
        h("span", {}, [h("i", { style: "background:var(--separable)" }), "as separable"])
      ])
    ]);
    var group = "metric-" + Math.random().toString(36).slice(2);
    function radio(value, checked) {
      var input = h("input", { type: "radio", name: "m", value: value, class: "metric-" + value,
        onchange: function () { state.metric = value; draw(); } });
      input.checked = checked;
      return h("label", {}, [input]);
    }
    controls.querySelectorAll("input[type=radio]").forEach(function (r) { r.name = group; });
    var note = h("p", { class: "note" });
    var chart = h("div", { class: "scroll-x bars-chart" });
    var frame = h("div", { class: "chart" }, [chart]);
    box.appendChild(controls);
    box.appendChild(frame);
    box.appendChild(note);
    var tip = tooltipFor(frame);

    function draw() {
      chart.querySelectorAll("svg").forEach(function (old) { old.remove(); });
      tip.hide();
      var metric = state.metric, n = layers.length;
      var groups = bins(layers, metric, Math.min(n, MAX_BARS));
      var aggregated = groups.length < n;
      var left = 58, right = 8, top = 10, bottom = 26, height = 260;
      var visible = widthOf(chart);
      var plot = Math.max(visible - left - right, groups.length * BAR_SLOT);
      var width = plot + left + right, slot = plot / groups.length;
      var max = 0;
      groups.forEach(function (g) { max = Math.max(max, g.value, g.standard, g.separable); });
      var marks = ticks(max, 4);
      if (marks.length > 1 && marks[marks.length - 1] < max) marks.push(2 * marks[marks.length - 1] - marks[marks.length - 2]);
      var top_ = state.log ? max : marks[marks.length - 1];
      var y = state.log
        ? function (v) { return v <= 0 ? 0 : (height - top - bottom) * Math.log10(v + 1) / Math.log10(max + 1); }
        : function (v) { return top_ > 0 ? (height - top - bottom) * v / top_ : 0; };
      var svg = s("svg", { width: width, height: height, class: "bars", role: "img",
        "aria-label": metric + " per layer: this network, as standard and as separable" });
      var base = height - bottom;
      if (state.log) marks = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12].filter(function (v) { return v <= max; });
      marks.forEach(function (v) {
        var yy = base - y(v);
        s("line", { x1: left, x2: width - right, y1: yy, y2: yy, class: "grid" }, svg);
        s("text", { x: left - 6, y: yy + 4, "text-anchor": "end", text: short(v) }, svg);
      });
      s("line", { x1: left, x2: width - right, y1: base, y2: base, class: "axis" }, svg);
      var hot = s("rect", { class: "hot", y: top, height: base - top, width: slot, x: -1000 }, svg);
      var sub = slot / 3, pad = slot > 6 ? slot * 0.08 : 0;
      var standard = [], separable = [];
      groups.forEach(function (g, i) {
        var x = left + i * slot + pad, w = Math.max(0.6, (slot - 2 * pad) / 3);
        var hs = y(g.standard), hv = y(g.value), hp = y(g.separable);
        if (hs > 0) standard.push("M" + x.toFixed(2) + " " + base + "h" + w.toFixed(2) + "v" + (-hs).toFixed(2) + "h" + (-w).toFixed(2) + "z");
        s("rect", { class: "bar", "data-i": i, x: (x + w).toFixed(2), y: (base - hv).toFixed(2), width: w.toFixed(2), height: hv.toFixed(2) }, svg);
        if (hp > 0) separable.push("M" + (x + 2 * w).toFixed(2) + " " + base + "h" + w.toFixed(2) + "v" + (-hp).toFixed(2) + "h" + (-w).toFixed(2) + "z");
      });
      s("path", { class: "standard", d: standard.join("") }, svg);
      s("path", { class: "separable", d: separable.join("") }, svg);
      var label = aggregated ? "layers (each bar: " + (groups[0].last - groups[0].first + 1) + " in a row)" : "layers, in order";
      s("text", { x: left + plot / 2, y: height - 6, "text-anchor": "middle", text: label }, svg);
      chart.insertBefore(svg, chart.firstChild);
      note.textContent = aggregated
        ? n.toLocaleString("en-US") + " layers: each bar sums " + (groups[0].last - groups[0].first + 1) + " consecutive layers; hover for their numbers."
        : "Hover a bar for the layer's numbers." + (plot > visible - left - right ? " The chart scrolls sideways." : "");

      svg.addEventListener("mousemove", function (event) {
        var rect = svg.getBoundingClientRect();
        var i = Math.floor((event.clientX - rect.left - left) / slot);
        if (i < 0 || i >= groups.length || event.clientY - rect.top > base) { tip.hide(); hot.setAttribute("x", -1000); return; }
        hot.setAttribute("x", left + i * slot);
        var boxRect = frame.getBoundingClientRect();
        tip.show(barTip(net, groups[i], aggregated), event.clientX - boxRect.left, event.clientY - boxRect.top);
      });
      svg.addEventListener("mouseleave", function () { tip.hide(); hot.setAttribute("x", -1000); });
    }
    draw();
    var resized = null;
    window.addEventListener("resize", function () { clearTimeout(resized); resized = setTimeout(draw, 150); });
  }

  function barTip(net, g, aggregated) {
    var layers = net.layers, total = net.totals.mults;
    var head;
    var sum = { params: 0, mults: 0, sp: 0, sm: 0, pp: 0, pm: 0 };
    for (var i = g.first; i <= g.last; i++) {
      var l = layers[i];
      sum.params = add(sum.params, l.params); sum.mults = add(sum.mults, l.mults);
      sum.sp = add(sum.sp, l.standard.params); sum.sm = add(sum.sm, l.standard.mults);
      sum.pp = add(sum.pp, l.separable.params); sum.pm = add(sum.pm, l.separable.mults);
    }
    if (aggregated && g.last > g.first) {
      head = h("div", {}, [h("b", { text: "layers " + (g.first + 1) + "–" + (g.last + 1) }),
        " " + layers[g.first].name + " … " + layers[g.last].name]);
    } else {
      var one = layers[g.first];
      var pair = !one.pair ? [] : [h("div", { class: "muted pair", text: one.pair_role === "partner"
        ? "separable pair: as standard in " + one.pair + "'s full conv"
        : "separable pair with " + one.pair + ": as standard one full conv" })];
      head = h("div", {}, [h("b", { class: "tip-name", text: one.name }), " " + one.type + " · layer " + (g.first + 1),
        h("div", { class: "muted", text: shape(one.input) + " → " + shape(one.output) })].concat(pair));
    }
    return h("div", {}, [head, rows([
      ["mults", exact(sum.mults)],
      ["share of mults", total > 0 ? percent(ratio(sum.mults, total)) : "–"],
      ["params", exact(sum.params)],
      ["as standard: mults", exact(sum.sm)],
      ["as standard: params", exact(sum.sp)],
      ["as separable: mults", exact(sum.pm)],
      ["as separable: params", exact(sum.pp)]
    ])]);
  }

  // ------------------------------------------------------------ cumulative share, by kind

  function sampled(values, most) {
    // indices of ``values``, at most about ``most`` of them: the largest of each run of consecutive ones (so that
    // no peak is lost), the first and the last always kept
    var n = values.length, step = Math.max(1, Math.ceil(n / most)), out = [];
    for (var i = 0; i < n; i += step) {
      var best = i;
      for (var k = i + 1; k < Math.min(n, i + step); k++) if (values[k] > values[best]) best = k;
      out.push(best);
    }
    if (n && out[0] !== 0) out.unshift(0);
    if (n && out[out.length - 1] !== n - 1) out.push(n - 1);
    return out;
  }

  function lineChart(box, opts) {
    // opts: values (y per layer), max, label(v), aria, cls, marker {index, text}, y label
    var values = opts.values, n = values.length;
    var left = 58, right = 12, top = 14, bottom = 26, height = opts.height || 220;
    var width = widthOf(box, 520), plot = width - left - right, base = height - bottom;
    var svg = s("svg", { width: width, height: height, class: opts.cls + "-chart", role: "img", "aria-label": opts.aria });
    var max = opts.max;
    function X(i) { return left + (n > 1 ? plot * i / (n - 1) : plot / 2); }
    function Y(v) { return base - (max > 0 ? (base - top) * v / max : 0); }
    (opts.ticks || ticks(max, 4)).forEach(function (v) {
      s("line", { x1: left, x2: width - right, y1: Y(v), y2: Y(v), class: "grid" }, svg);
      s("text", { x: left - 6, y: Y(v) + 4, "text-anchor": "end", text: opts.label(v) }, svg);
    });
    s("line", { x1: left, x2: width - right, y1: base, y2: base, class: "axis" }, svg);
    var points = sampled(values, 2 * plot).map(function (i) { return X(i).toFixed(1) + "," + Y(values[i]).toFixed(1); });
    if (points.length) {
      s("polygon", { class: "area " + opts.cls, points: X(0).toFixed(1) + "," + base + " " + points.join(" ") + " " + X(n - 1).toFixed(1) + "," + base }, svg);
      s("polyline", { class: "line " + opts.cls, points: points.join(" ") }, svg);
    }
    (opts.markers || []).forEach(function (m) {
      var x = X(m.index);
      s("line", { x1: x, x2: x, y1: top, y2: base, class: "peak" }, svg);
      if (m.value !== undefined) s("circle", { cx: x, cy: Y(m.value).toFixed(2), r: 3.5, class: "peak-dot" }, svg);
      var anchor = x > left + plot * 0.6 ? "end" : "start";
      s("text", { x: x + (anchor === "end" ? -5 : 5), y: top + 10 + (m.row || 0) * 13, "text-anchor": anchor, class: "peak-label", text: m.text }, svg);
    });
    s("text", { x: left + plot / 2, y: height - 6, "text-anchor": "middle", text: opts.xlabel || "layers, in order" }, svg);
    box.appendChild(svg);
    if (opts.tip && n) {
      var tip = tooltipFor(box), hot = s("line", { class: "hot-line", y1: top, y2: base, x1: -1000, x2: -1000 }, svg);
      svg.addEventListener("mousemove", function (event) {
        var rect = svg.getBoundingClientRect(), scale = rect.width / width;
        var i = Math.round(((event.clientX - rect.left) / scale - left) / plot * (n - 1));
        if (n === 1) i = 0;
        if (i < 0 || i >= n) { tip.hide(); hot.setAttribute("x1", -1000); hot.setAttribute("x2", -1000); return; }
        hot.setAttribute("x1", X(i)); hot.setAttribute("x2", X(i));
        var r = box.getBoundingClientRect();
        tip.show(opts.tip(i), event.clientX - r.left, event.clientY - r.top);
      });
      svg.addEventListener("mouseleave", function () { tip.hide(); hot.setAttribute("x1", -1000); hot.setAttribute("x2", -1000); });
    }
    return svg;
  }

  function cumulative(net, box) {
    var layers = net.layers, total = net.totals.mults, run = 0;
    var values = layers.map(function (l) { run = add(run, l.mults); return ratio(run, total); });
    var markers = [];
    [0.5, 0.9].forEach(function (share, row) {
      for (var i = 0; i < values.length; i++) {
        if (values[i] >= share - 1e-12) {
          markers.push({ index: i, row: row, text: Math.round(share * 100) + " % by " + layers[i].name });
          break;
        }
      }
    });
    lineChart(box, { values: values, max: 1, ticks: [0, 0.25, 0.5, 0.75, 1], label: function (v) { return Math.round(v * 100) + " %"; },
      aria: "cumulative share of mults along the layers", cls: "cumulative", markers: markers });
  }

  function byKind(net, box) {
    var kinds = net.by_kind || {}, total = net.totals;
    var body = [];
    Object.keys(kinds).forEach(function (kind) {
      var c = kinds[kind];
      if (!c.params && !c.mults) return;
      var m = ratio(c.mults, total.mults), p = ratio(c.params, total.params);
      body.push(h("tr", {}, [
        h("td", { text: KINDS[kind] || kind }),
        h("td", { class: "num", text: percent(m) }),
        h("td", { class: "bar-cell" }, [h("span", { class: "share", style: "width:" + (100 * m).toFixed(1) + "%" })]),
        h("td", { class: "num", text: percent(p) }),
        h("td", { class: "bar-cell" }, [h("span", { class: "share params", style: "width:" + (100 * p).toFixed(1) + "%" })])
      ]));
    });
    box.appendChild(h("table", { class: "data by-kind" }, [
      h("thead", {}, [h("tr", {}, [h("th", { text: "kind" }), h("th", { class: "num", text: "mults" }), h("th", {}),
        h("th", { class: "num", text: "params" }), h("th", {})])]),
      h("tbody", {}, body)
    ]));
  }

  // ------------------------------------------------------------ memory and roofline (when present)

  function hasAll(layers, key) {
    if (!layers.length) return false;
    for (var i = 0; i < layers.length; i++) if (!layers[i][key]) return false;
    return true;
  }

  function liveBytes(l) {
    // the bytes alive at a layer's step; a document without them: its input and output
    var m = l.memory;
    return m.live_bytes !== undefined ? m.live_bytes : add(m.input_bytes, m.output_bytes);
  }

  function memoryChart(net, box) {
    var layers = net.layers;
    var live = layers.length > 0 && layers[0].memory.live_bytes !== undefined;
    var alive = layers.map(liveBytes); // exact, for the tooltips; values: as drawn
    var values = alive.map(Number);
    var max = 0;
    values.forEach(function (v) { max = Math.max(max, v); });
    var memory = net.totals.memory || {};
    var markers = [];
    var peak = -1;
    for (var i = 0; i < layers.length; i++) if (layers[i].name === memory.peak_layer) { peak = i; break; }
    if (peak < 0 && values.length) peak = values.indexOf(max);
    var peakBytes = memory.peak_bytes !== undefined ? memory.peak_bytes : alive[peak];
    if (peak >= 0) markers.push({ index: peak, value: Number(peakBytes), text: "peak " + bytes(peakBytes) + " at " + layers[peak].name });
    if (Number(peakBytes) > max) max = Number(peakBytes);
    var marks = ticks(max, 4); // round in decimal units, as the labels are
    if (marks.length > 1 && marks[marks.length - 1] < max) marks.push(2 * marks[marks.length - 1] - marks[marks.length - 2]);
    var svg = lineChart(box, { values: values, max: marks[marks.length - 1] || max, ticks: marks, label: bytes,
      aria: "activation memory alive at each layer, the peak marked", cls: "memory", markers: markers,
      tip: function (i) {
        var l = layers[i], m = l.memory;
        return h("div", {}, [h("b", { class: "tip-name", text: l.name }), " " + l.type + " · layer " + (i + 1), rows([
          [live ? "alive at this step" : "input + output", bytes(alive[i])],
          ["input bytes", bytes(m.input_bytes)],
          ["output bytes", bytes(m.output_bytes)],
          ["depthwise output bytes", bytes(m.intermediate_bytes || 0)],
          ["weight bytes", bytes(m.weight_bytes)]
        ])]);
      } });
    var peakLine = svg.querySelector(".peak");
    if (peakLine) {
      peakLine.setAttribute("data-bytes", String(peakBytes));
      peakLine.setAttribute("data-layer", layers[peak].name);
    }
    var facts = [];
    if (memory.peak_bytes !== undefined) facts.push("peak " + bytes(memory.peak_bytes) + " (" + exact(memory.peak_bytes) + " B)" + (memory.peak_layer ? " at " + memory.peak_layer : ""));
    if (memory.weight_bytes !== undefined) facts.push("weights " + bytes(memory.weight_bytes) + (memory.weight_dtype ? " (" + memory.weight_dtype + ")" : ""));
    if (memory.activation_bytes !== undefined) facts.push("all outputs " + bytes(memory.activation_bytes) + (memory.activation_dtype ? " (" + memory.activation_dtype + ")" : ""));
    box.appendChild(h("p", { class: "note", text: (live
      ? "The activation bytes alive at each layer's step: its inputs, its output (and a separable layer's depthwise output), and every earlier output a later layer still reads. "
      : "Each layer's input and output bytes. ") + facts.join(" · ") }));
  }

  function rooflineChart(net, box) {
    var points = [];
    net.layers.forEach(function (l) {
      var r = l.roofline;
      if (r && r.intensity > 0 && r.seconds > 0 && l.mults > 0) points.push({ layer: l, x: r.intensity, y: Number(l.mults) / r.seconds, bound: r.bound });
    });
    if (!points.length) { box.appendChild(h("p", { class: "note", text: "No layer with mults and a time to plot." })); return; }
    var device = net.totals.roofline || {};
    var peak = Number(device.peak_macs_per_second || 0), bandwidth = Number(device.bandwidth_bytes_per_second || 0);
    var given = peak > 0 && bandwidth > 0; // the device's own roof; else one through the fastest layers
    var minX = Infinity, maxX = 0, minY = Infinity, maxY = 0;
    points.forEach(function (p) {
      minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x); minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
      if (!given) { if (p.bound === "compute") peak = Math.max(peak, p.y); else bandwidth = Math.max(bandwidth, p.y / p.x); }
    });
    var knee = peak > 0 && bandwidth > 0 ? peak / bandwidth : 0;
    if (given) { minX = Math.min(minX, knee); maxX = Math.max(maxX, knee); maxY = Math.max(maxY, peak); }
    var lx0 = Math.floor(Math.log10(minX)), lx1 = Math.ceil(Math.log10(maxX));
    if (lx1 <= lx0) lx1 = lx0 + 1;
    var ly0 = Math.floor(Math.log10(minY)), ly1 = Math.ceil(Math.log10(maxY * 1.5));
    if (ly1 <= ly0) ly1 = ly0 + 1;
    var left = 64, right = 12, top = 12, bottom = 34, height = 280;
    var width = widthOf(box, 520), plot = width - left - right, base = height - bottom;
    function X(v) { return left + plot * (Math.log10(v) - lx0) / (lx1 - lx0); }
    function Y(v) { return base - (base - top) * (Math.log10(v) - ly0) / (ly1 - ly0); }
    var svg = s("svg", { width: width, height: height, class: "roofline-chart", role: "img", "aria-label": "roofline of the layers" });
    for (var e = lx0; e <= lx1; e++) {
      s("line", { x1: X(Math.pow(10, e)), x2: X(Math.pow(10, e)), y1: top, y2: base, class: "grid" }, svg);
      s("text", { x: X(Math.pow(10, e)), y: base + 14, "text-anchor": "middle", text: short(Math.pow(10, e)) }, svg);
    }
    for (var f = ly0; f <= ly1; f++) {
      s("line", { x1: left, x2: width - right, y1: Y(Math.pow(10, f)), y2: Y(Math.pow(10, f)), class: "grid" }, svg);
      s("text", { x: left - 6, y: Y(Math.pow(10, f)) + 4, "text-anchor": "end", text: short(Math.pow(10, f)) }, svg);
    }
    var xs = Math.pow(10, lx0), xe = Math.pow(10, lx1);
    if (knee > 0) {
      var start = Math.max(xs, Math.pow(10, ly0) / bandwidth);
      var roof = [[start, bandwidth * start], [knee, peak], [xe, peak]];
      if (knee > xe) roof = [[start, bandwidth * start], [xe, bandwidth * xe]];
      else if (knee < start) roof = [[xs, peak], [xe, peak]];
      s("polyline", { class: "roof" + (given ? " device" : ""), "data-peak": String(given ? device.peak_macs_per_second : peak),
        "data-bandwidth": String(given ? device.bandwidth_bytes_per_second : bandwidth),
        points: roof.map(function (p) { return X(p[0]).toFixed(2) + "," + Y(p[1]).toFixed(2); }).join(" ") }, svg);
      if (given) {
        s("text", { x: width - right - 4, y: Y(peak) - 5, "text-anchor": "end", class: "roof-label", text: "peak " + short(device.peak_macs_per_second) + " MACs/s" }, svg);
        s("text", { x: left + 6, y: top + 12, class: "roof-label",
          text: "bandwidth " + bytes(device.bandwidth_bytes_per_second) + "/s" + (knee >= xs && knee <= xe ? " · ridge at " + knee.toPrecision(3) + " mults/byte" : "") }, svg);
      }
    }
    var tip = tooltipFor(box);
    points.forEach(function (p) {
      var dot = s("circle", { class: "point " + (p.bound === "compute" ? "compute" : "memory"), "data-name": p.layer.name,
        cx: X(p.x).toFixed(2), cy: Y(p.y).toFixed(2), r: 3.5 }, svg);
      dot.addEventListener("mouseenter", function (event) {
        var r = box.getBoundingClientRect();
        tip.show(h("div", {}, [h("b", { text: p.layer.name }), " " + p.layer.type, rows([
          ["intensity", p.x.toPrecision(4) + " mults/byte"], ["mults/s", short(p.y)],
          ["seconds", p.layer.roofline.seconds.toPrecision(4)], ["bound", String(p.bound)]])]),
        event.clientX - r.left, event.clientY - r.top);
      });
      dot.addEventListener("mouseleave", tip.hide);
    });
    s("text", { x: left + plot / 2, y: height - 4, "text-anchor": "middle", text: "arithmetic intensity: mults per byte moved (log)" }, svg);
    box.appendChild(svg);
    var on = device.device ? " on " + device.device + (device.dtype ? " at " + device.dtype : "") : "";
    box.appendChild(h("p", { class: "note" }, [
      h("span", { class: "legend" }, [
        h("span", {}, [h("i", { style: "background:var(--memory)" }), "memory-bound"]),
        h("span", {}, [h("i", { style: "background:var(--compute)" }), "compute-bound"])]),
      " · each layer's mults per second" + on + " (up) against its mults per byte moved (across), both axes logarithmic; " +
      (given ? "the roof is the device's: its bandwidth × intensity up to the ridge, then its peak. A layer of two steps (separable) may sit below it."
        : "the dashed roof is drawn through the fastest layers.")
    ]));
  }

  // ------------------------------------------------------------ the graph

  function heat(fraction) {
    // a colour from pale to hot for a layer's share of the most mults of any layer (square-root scale)
    var t = Math.sqrt(Math.max(0, Math.min(1, fraction)));
    var hue = 210 - 200 * t, light = 88 - 45 * t;
    return "hsl(" + hue.toFixed(0) + ", 75%, " + light.toFixed(0) + "%)";
  }

  function graph(net, box) {
    var layers = net.layers, n = layers.length;
    var index = { input: -1 };
    layers.forEach(function (l, i) { index[l.name] = i; });
    function source(name) {
      if (Object.prototype.hasOwnProperty.call(index, name)) return index[name];
      var dot = name.lastIndexOf("."); // a part of a split: NAME.0
      if (dot > 0 && Object.prototype.hasOwnProperty.call(index, name.slice(0, dot))) return index[name.slice(0, dot)];
      return null;
    }
    var max = 0;
    layers.forEach(function (l) { max = Math.max(max, Number(l.mults)); });
    var state = { page: 0 };
    var pages = Math.max(1, Math.ceil(n / GRAPH_PAGE));
    var pager = h("div", { class: "pager graph-pager" });
    var holder = h("div", { class: "scroll-y graph" });
    if (pages > 1) box.appendChild(pager);
    box.appendChild(holder);
    box.appendChild(h("p", { class: "note", text: "Each layer is a node, coloured by its mults (pale: few, hot: the most of any layer); an arc on the right is a path that skips ahead: a residual, a squeeze-and-excitation or a concat branch." }));

    function draw() {
      holder.textContent = "";
      var first = state.page * GRAPH_PAGE, last = Math.min(n, first + GRAPH_PAGE) - 1;
      var rowH = 24, nodeW = 280, left = 10, top = 8;
      var rowsOnPage = last - first + 2; // the input (or the layer before the page) on top
      var width = widthOf(box, 700);
      var height = top * 2 + rowsOnPage * rowH;
      var svg = s("svg", { width: width, height: height, class: "graph-svg", role: "img", "aria-label": "the network as a graph" });
      function rowOf(i) { return i < first ? 0 : i - first + 1; }
      function cy(row) { return top + row * rowH + rowH / 2 - 2; }
      var paths = [], skips = [];
      for (var i = first; i <= last; i++) {
        (layers[i].inputs || []).forEach(function (name) {
          var from = source(name);
          if (from === null) return;
          var r0 = rowOf(from), r1 = rowOf(i);
          if (from === i - 1 || (i === first && from < first)) {
            paths.push("M" + (left + nodeW / 2) + " " + (cy(r0) + rowH / 2 - 3) + "V" + (cy(r1) - rowH / 2 + 3));
          } else {
            var span = r1 - r0, bend = Math.min(width - nodeW - left - 20, 10 + 30 * Math.sqrt(span));
            var x0 = left + nodeW;
            skips.push("M" + x0 + " " + cy(r0) + "C" + (x0 + bend) + " " + cy(r0) + " " + (x0 + bend) + " " + cy(r1) + " " + x0 + " " + cy(r1));
          }
        });
      }
      s("path", { class: "edge", d: paths.join("") }, svg);
      s("path", { class: "edge skip", d: skips.join("") }, svg);
      var topName = first === 0 ? "input " + shape(net.input) : "… " + layers[first - 1].name;
      var topNode = s("g", { class: "node" }, svg);
      s("rect", { x: left, y: cy(0) - rowH / 2 + 3, width: nodeW, height: rowH - 6, rx: 4, fill: "var(--panel)" }, topNode);
      s("text", { x: left + 8, y: cy(0) + 4, text: topName }, topNode);
      for (var j = first; j <= last; j++) {
        var l = layers[j], fraction = max > 0 ? Number(l.mults) / max : 0;
        var g = s("g", { class: "node", "data-i": j }, svg);
        s("title", { text: l.name + " (" + l.type + ")\n" + shape(l.input) + " → " + shape(l.output) + "\nmults " + exact(l.mults) + "\nparams " + exact(l.params) }, g);
        s("rect", { x: left, y: cy(rowOf(j)) - rowH / 2 + 3, width: nodeW, height: rowH - 6, rx: 4, fill: heat(fraction) }, g);
        var label = l.name + " · " + l.type + (l.mults ? " · " + short(l.mults) : "");
        s("text", { x: left + 8, y: cy(rowOf(j)) + 4, class: Math.sqrt(fraction) > 0.75 ? "dark" : "", text: label.length > 44 ? label.slice(0, 43) + "…" : label }, g);
      }
      holder.appendChild(svg);
      pager.textContent = "";
      pager.appendChild(h("button", { type: "button", text: "‹", onclick: function () { state.page = Math.max(0, state.page - 1); draw(); } }));
      pager.appendChild(h("span", { text: "layers " + (first + 1) + "–" + (last + 1) + " of " + n.toLocaleString("en-US") }));
      pager.appendChild(h("button", { type: "button", text: "›", onclick: function () { state.page = Math.min(pages - 1, state.page + 1); draw(); } }));
      pager.firstChild.disabled = state.page === 0;
      pager.lastChild.disabled = state.page === pages - 1;
    }
    draw();
  }

  // ------------------------------------------------------------ the table

  // The layer table's columns are dsc-cost's per-layer columns (its column registry: the dsc-cost-columns block),
  // each a key, a title, a unit and its keys in a layer's object; a column the data lacks is left out. A few are
  // worked out here: the shapes, the share of the mults, a pair's partner as standard ("in NAME", as in the CLI).
  var COLUMN_LIST = JSON.parse((document.getElementById("dsc-cost-columns") || {}).textContent || "[]") || [];
  var UNITS = {
    count: exact, bytes: bytes, seconds: seconds, text: String, flag: String, shape: shape,
    intensity: function (v) { return Number(v).toPrecision(4); }
  };
  var SPECIAL = {
    shape: { get: function (l) { return shape(l.input) + " → " + shape(l.output); }, sort: false, num: false, has: [] },
    share: { get: function (l, i, t) { return ratio(l.mults, t); }, show: percent, num: true, has: ["mults"] },
    standard_mults: { text: function (l) { return l.pair_role === "partner" ? "in " + l.pair : null; } },
    live_bytes: { get: liveBytes, has: ["memory"] }
  };
  function at(l, keys) {
    var v = l;
    for (var k = 0; k < keys.length; k++) {
      if (v === null || typeof v !== "object" || !Object.prototype.hasOwnProperty.call(v, keys[k])) return undefined;
      v = v[keys[k]];
    }
    return v;
  }
  function tableColumns(layers) {
    var columns = [{ key: "index", title: "#", num: true, get: function (l, i) { return i + 1; } }];
    COLUMN_LIST.forEach(function (c) {
      var special = SPECIAL[c.key] || {}, keys = special.has || c.path;
      if (!layers.every(function (l) { return keys.length === 0 || at(l, keys) !== undefined; })) return;
      var show = special.show || UNITS[c.unit] || String;
      columns.push({
        key: c.key, title: c.title, get: special.get || function (l) { return at(l, c.path); }, text: special.text,
        num: special.num !== undefined ? special.num : c.unit !== "text" && c.unit !== "shape" && c.unit !== "flag",
        show: function (v) { return v === null || v === undefined ? "—" : show(v); }, sort: special.sort
      });
    });
    return columns;
  }

  function layerTable(net, box) {
    var layers = net.layers, total = net.totals.mults;
    var columns = tableColumns(layers);
    var order = layers.map(function (l, i) { return i; });
    var state = { key: "index", descending: false, filter: "", page: 0, shown: order };
    var search = h("input", { type: "search", class: "filter", placeholder: "filter by layer or type", "aria-label": "filter the layers" });
    var count = h("span", { class: "muted" });
    var pager = h("div", { class: "pager" });
    var heads = columns.map(function (c) {
      var th = h("th", { class: (c.num ? "num " : "") + (c.sort === false ? "" : "sortable"), "data-key": c.key, text: c.title, scope: "col" });
      if (c.sort !== false) {
        th.tabIndex = 0;
        th.addEventListener("click", function () { sortBy(c.key); });
        th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(c.key); } });
      }
      return th;
    });
    var body = h("tbody");
    var table = h("table", { class: "data layers" }, [h("thead", {}, [h("tr", {}, heads)]), body]);
    box.appendChild(h("div", { class: "controls" }, [search, count]));
    box.appendChild(h("div", { class: "scroll-x" }, [table]));
    box.appendChild(pager);
    search.addEventListener("input", function () { state.filter = search.value.trim().toLowerCase(); state.page = 0; refresh(); });

    function column(key) { return columns.filter(function (c) { return c.key === key; })[0]; }
    function sortBy(key) {
      var c = column(key);
      if (state.key === key) state.descending = !state.descending;
      else state.descending = !!c.num && key !== "index";
      state.key = key;
      state.page = 0;
      refresh();
    }
    function refresh() {
      var c = column(state.key), sign = state.descending ? -1 : 1;
      var keys = layers.map(function (l, i) { return c.get(l, i, total); });
      var shown = order.slice();
      if (state.filter) {
        var f = state.filter;
        shown = shown.filter(function (i) { return layers[i].name.toLowerCase().indexOf(f) >= 0 || layers[i].type.toLowerCase().indexOf(f) >= 0; });
      }
      shown.sort(function (a, b) {
        var x = keys[a], y = keys[b];
        if (x < y) return -sign;
        if (x > y) return sign;
        return a - b;
      });
      state.shown = shown;
      heads.forEach(function (th) {
        if (th.getAttribute("data-key") === state.key) th.setAttribute("aria-sort", state.descending ? "descending" : "ascending");
        else th.removeAttribute("aria-sort");
      });
      render();
    }
    function render() {
      var pages = Math.max(1, Math.ceil(state.shown.length / PAGE));
      state.page = Math.min(state.page, pages - 1);
      var start = state.page * PAGE, slice = state.shown.slice(start, start + PAGE);
      body.textContent = "";
      var fragment = document.createDocumentFragment();
      slice.forEach(function (i) {
        var l = layers[i];
        fragment.appendChild(h("tr", { "data-i": i }, columns.map(function (c) {
          var v = c.get(l, i, total), own = c.text ? c.text(l) : null;
          return h("td", { class: c.num ? "num" : "", text: own !== null ? own : c.show ? c.show(v) : String(v) });
        })));
      });
      body.appendChild(fragment);
      count.textContent = state.shown.length === layers.length
        ? layers.length.toLocaleString("en-US") + " layers"
        : state.shown.length.toLocaleString("en-US") + " of " + layers.length.toLocaleString("en-US") + " layers";
      pager.textContent = "";
      if (pages > 1) {
        var go = function (p) { return function () { state.page = p; render(); }; };
        var first = h("button", { type: "button", class: "first", text: "«", onclick: go(0) });
        var prev = h("button", { type: "button", class: "prev", text: "‹", onclick: go(Math.max(0, state.page - 1)) });
        var next = h("button", { type: "button", class: "next", text: "›", onclick: go(Math.min(pages - 1, state.page + 1)) });
        var lastB = h("button", { type: "button", class: "last", text: "»", onclick: go(pages - 1) });
        first.disabled = prev.disabled = state.page === 0;
        next.disabled = lastB.disabled = state.page === pages - 1;
        pager.appendChild(first); pager.appendChild(prev);
        pager.appendChild(h("span", { class: "page", text: "rows " + (start + 1).toLocaleString("en-US") + "–" + (start + slice.length).toLocaleString("en-US") + " · page " + (state.page + 1) + " of " + pages }));
        pager.appendChild(next); pager.appendChild(lastB);
      }
    }
    refresh();
  }

  // ------------------------------------------------------------ page

  function card(label, value, sub) {
    return h("div", { class: "card" }, [h("div", { class: "label", text: label }), h("div", { class: "value", text: value }), sub ? h("div", { class: "sub", text: sub }) : null]);
  }

  function section(net, number, several) {
    var t = net.totals;
    var id = "network-" + (number + 1);
    var box = h("section", { class: "network", id: id });
    box.appendChild(h(several ? "h2" : "h2", { text: net.name }));
    var facts = [];
    if (net.file) facts.push(net.file);
    facts.push("input " + shape(net.input) + " → output " + shape(net.output));
    facts.push(net.layers.length.toLocaleString("en-US") + " layers");
    if (net.batch !== 1) facts.push("batch " + net.batch);
    box.appendChild(h("p", { class: "muted", text: facts.join(" · ") }));
    box.appendChild(h("div", { class: "cards" }, [
      card("mults", short(t.mults), exact(t.mults)),
      card("params", short(t.params), exact(t.params)),
      card("as standard", short(t.standard.mults) + " mults", short(t.standard.params) + " params"),
      card("as separable", short(t.separable.mults) + " mults", short(t.separable.params) + " params"),
      card("saves vs standard", percent(net.savings_vs_standard.mults) + " of mults", percent(net.savings_vs_standard.params) + " of params"),
      card("separable potential", percent(net.separable_potential.mults) + " of mults", percent(net.separable_potential.params) + " of params"),
      t.memory && t.memory.peak_bytes !== undefined ? card("peak activations", bytes(t.memory.peak_bytes), t.memory.peak_layer ? "at " + t.memory.peak_layer : "") : null,
      t.roofline && t.roofline.seconds !== undefined ? card("estimated time", seconds(t.roofline.seconds), t.roofline.device ? "on " + t.roofline.device : "") : null
    ]));

    box.appendChild(h("h3", { text: "Per layer: this network, as standard and as separable" }));
    var bars = h("div", { class: "per-layer" });
    box.appendChild(bars);
    var pair = h("div", { class: "row2" });
    var cum = h("div", { class: "chart cumulative" }, [h("h3", { text: "Cumulative share of mults" })]);
    var kinds = h("div", { class: "kinds" }, [h("h3", { text: "Share by kind of layer" })]);
    pair.appendChild(cum); pair.appendChild(kinds);
    box.appendChild(pair);
    var memory = null, roof = null;
    if (hasAll(net.layers, "memory")) {
      memory = h("div", { class: "chart memory" }, [h("h3", { text: "Activation memory along the layers" })]);
      box.appendChild(memory);
    }
    if (net.layers.some(function (l) { return !!l.roofline; })) {
      roof = h("div", { class: "chart roofline" }, [h("h3", { text: "Roofline" + (t.roofline && t.roofline.device ? ": " + t.roofline.device : "") })]);
      box.appendChild(roof);
    }
    box.appendChild(h("h3", { text: "The network as a graph" }));
    var graphBox = h("div", { class: "graph-box" });
    box.appendChild(graphBox);
    box.appendChild(h("h3", { text: "Layers" }));
    var tableBox = h("div", { class: "layer-table" });
    box.appendChild(tableBox);
    ROOT.appendChild(box);
    // drawn once in the page, so that the charts know their width
    barChart(net, bars);
    cumulative(net, cum);
    byKind(net, kinds);
    if (memory) memoryChart(net, memory);
    if (roof) rooflineChart(net, roof);
    graph(net, graphBox);
    layerTable(net, tableBox);
  }

  function summary(networks) {
    var head = ["network", "layers", "params", "mults", "as standard", "as separable", "saves vs standard", "separable potential"];
    var memory = networks.some(function (net) { return net.totals.memory && net.totals.memory.peak_bytes !== undefined; });
    var time = networks.some(function (net) { return net.totals.roofline && net.totals.roofline.seconds !== undefined; });
    if (memory) head.push("peak memory");
    if (time) head.push("est. time");
    var body = networks.map(function (net, i) {
      var t = net.totals;
      return h("tr", {}, [
        h("td", {}, [h("a", { href: "#network-" + (i + 1), text: net.name }),
          net.file ? h("div", { class: "muted file", text: net.file }) : null]),
        h("td", { class: "num", text: exact(net.layers.length) }),
        h("td", { class: "num", text: exact(t.params) }),
        h("td", { class: "num", text: exact(t.mults) }),
        h("td", { class: "num", text: exact(t.standard.mults) }),
        h("td", { class: "num", text: exact(t.separable.mults) }),
        h("td", { class: "num", text: percent(net.savings_vs_standard.mults) }),
        h("td", { class: "num", text: percent(net.separable_potential.mults) })
      ].concat(memory ? [h("td", { class: "num", text: t.memory ? bytes(t.memory.peak_bytes) : "" })] : [])
        .concat(time ? [h("td", { class: "num", text: t.roofline ? seconds(t.roofline.seconds) : "" })] : []));
    });
    return h("div", { class: "scroll-x" }, [h("table", { class: "data summary" }, [
      h("thead", {}, [h("tr", {}, head.map(function (t, i) { return h("th", { class: i > 0 ? "num" : "", text: t }); }))]),
      h("tbody", {}, body)
    ])]);
  }

  // An approximate result (ops of an ONNX model costed as nothing, --allow-unknown): one banner above everything.
  function approximateBanner(data) {
    if (!data.approximate) return null;
    var ops = Object.keys(data.unknown_ops || {}).map(function (op) { return op + " ×" + data.unknown_ops[op]; });
    return h("p", { class: "banner approximate", role: "alert", text: "Approximate: ops not understood (" + ops.join(", ") +
      ") were costed as nothing (--allow-unknown). Every figure counts only the ops understood." });
  }

  function start() {
    ROOT.textContent = "";
    var networks = DATA.networks || [];
    ROOT.appendChild(h("h1", { text: networks.length === 1 ? networks[0].name : "dsc-cost report: " + networks.length + " networks" }));
    ROOT.appendChild(h("p", { class: "muted", text: "Parameters and multiply-accumulates (mults) of every layer, and what the network would cost with every conv standard or every conv depthwise separable." }));
    var banner = approximateBanner(DATA);
    if (banner) ROOT.appendChild(banner);
    if (networks.length > 1) {
      ROOT.appendChild(h("h2", { text: "Summary" }));
      ROOT.appendChild(summary(networks));
    }
    networks.forEach(function (net, i) { section(net, i, networks.length > 1); });
    ROOT.appendChild(h("footer", { text: "Written by " + GENERATOR + ". The numbers are those of dsc-cost network --format json, embedded in this page." }));
    document.documentElement.setAttribute("data-ready", "1");
  }

  start();
})();
