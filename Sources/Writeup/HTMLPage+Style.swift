extension HTMLPage {
    /// The page's style sheet: a light and a dark scheme, the contents as a sidebar from 62em
    /// and as a folding bar below, figures on a light card in both schemes, and print.
    static let style = """
    :root {
      color-scheme: light dark;
      --text: #1f2328; --muted: #59636e; --background: #ffffff; --panel: #f6f8fa; --rule: #d1d9e0;
      --link: #1f4e8c; --code: #f3f4f6; --card: #ffffff; --stripe: #f6f8fa;
      --sans: "DejaVu Sans", "Helvetica Neue", Arial, system-ui, sans-serif;
      --serif: "DejaVu Serif", Georgia, "Times New Roman", serif;
      --mono: "DejaVu Sans Mono", Menlo, Consolas, monospace;
    }
    @media (prefers-color-scheme: dark) {
      :root {
        --text: #e6e8eb; --muted: #9aa4af; --background: #15181c; --panel: #1c2026; --rule: #353c45;
        --link: #8cb8ff; --code: #22272e; --card: #f3f3f1; --stripe: #1b1f25;
      }
    }
    * { box-sizing: border-box; }
    html { scroll-padding-top: 3.5rem; -webkit-text-size-adjust: 100%; }
    body { margin: 0; background: var(--background); color: var(--text); font: 1.0625rem/1.6 var(--serif); }
    a { color: var(--link); text-underline-offset: 0.15em; }
    .skip { position: absolute; left: -100vw; top: 0; background: var(--panel); padding: 0.5rem 1rem; z-index: 3; }
    .skip:focus { left: 0; }

    nav { font: 0.9rem/1.45 var(--sans); }
    nav summary { cursor: pointer; font-weight: 600; padding: 0.7rem 1.25rem; }
    nav ol { list-style: none; margin: 0; padding: 0 0 0 0.9rem; }
    nav > details > ol { padding: 0.25rem 1.25rem 1rem; }
    nav li { margin: 0.3rem 0; }
    nav a { color: var(--text); text-decoration: none; }
    nav a:hover, nav a:focus { color: var(--link); text-decoration: underline; }
    nav > details > ol > li > a { font-weight: 600; }

    main { min-width: 0; max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 4rem; }
    /* A long URL or code span breaks rather than widen the page. */
    main p, main li, main figcaption, main h1, main h2, main h3 { overflow-wrap: anywhere; }
    @media (max-width: 61.99em) {
      nav { position: sticky; top: 0; z-index: 2; background: var(--panel); border-bottom: 1px solid var(--rule); }
      nav > details > ol { max-height: 70vh; overflow-y: auto; }
    }
    @media (min-width: 62em) {
      body { display: grid; grid-template-columns: 17rem minmax(0, 46rem); gap: 2.5rem; justify-content: center; }
      nav { position: sticky; top: 0; align-self: start; max-height: 100vh; overflow-y: auto; padding: 2.2rem 0 2rem; }
      nav summary { display: none; }
      nav > details > ol { padding: 0 0 0 1.25rem; }
      main { margin: 0; padding-top: 2rem; }
    }

    h1, h2, h3, h4 { font-family: var(--sans); line-height: 1.25; }
    h1 { font-size: 2rem; margin: 0.5rem 0 0.4rem; }
    h2 { font-size: 1.45rem; margin: 2.6rem 0 0.8rem; padding-top: 0.4rem; border-top: 1px solid var(--rule); }
    h3 { font-size: 1.15rem; margin: 1.8rem 0 0.6rem; }
    .anchor { margin-left: 0.4em; text-decoration: none; opacity: 0; color: var(--muted); }
    .anchor::before { content: "#"; }
    h2:hover .anchor, h3:hover .anchor, .anchor:focus { opacity: 1; }
    .title-block { margin-bottom: 2rem; }
    .subtitle { font: 1.15rem/1.4 var(--sans); color: var(--muted); margin: 0 0 0.6rem; }
    .meta { font: 0.85rem var(--sans); color: var(--muted); margin: 0 0 1rem; }
    .abstract { border-left: 3px solid var(--rule); padding-left: 1rem; }

    code, pre { font-family: var(--mono); font-size: 0.85em; }
    code { background: var(--code); padding: 0.05em 0.25em; border-radius: 3px; }
    pre { background: var(--code); padding: 0.75rem 1rem; overflow-x: auto; border-radius: 4px; }
    pre code { background: none; padding: 0; }
    .nobr { white-space: nowrap; }
    blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 3px solid var(--rule); color: var(--muted); }
    ul.references { list-style: none; padding-left: 0; }
    ul.references li { padding-left: 1.5rem; text-indent: -1.5rem; margin: 0.5rem 0; }

    figure { margin: 1.8rem 0; }
    figure .card { background: var(--card); border-radius: 6px; padding: 0.5rem; }
    figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
    figure svg image { image-rendering: pixelated; }
    figcaption { font: 0.85rem/1.45 var(--sans); margin-top: 0.5rem; }
    svg.glyphs { position: absolute; width: 0; height: 0; }

    figure.table { margin: 1.5rem 0; }
    figure.table figcaption { margin: 0 0 0.4rem; }
    .scroll { overflow-x: auto; max-width: 100%; }
    .scroll:focus { outline: 2px solid var(--link); outline-offset: 2px; }
    table { border-collapse: collapse; font: 0.85rem/1.4 var(--sans); border-top: 1.5px solid var(--text); border-bottom: 1.5px solid var(--text); }
    th, td { padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
    thead th { border-bottom: 1px solid var(--text); }
    tbody tr:nth-child(even) { background: var(--stripe); }
    td.r, th.r { text-align: right; font-variant-numeric: tabular-nums; }
    td.c, th.c { text-align: center; }

    @media print {
      :root { --text: #000; --muted: #444; --background: #fff; --link: #000; --code: #f3f3f3; --card: #fff; --stripe: #f4f4f4; --rule: #bbb; }
      body { display: block; font-size: 10.5pt; }
      nav, .skip, .anchor { display: none; }
      main { max-width: none; padding: 0; }
      h2 { border-top: none; break-after: avoid; }
      h3 { break-after: avoid; }
      figure, pre, tr { break-inside: avoid; }
      figure .card { padding: 0; }
      a { text-decoration: none; }
      main a[href^="http"]::after { content: " <" attr(href) ">"; font-size: 0.85em; word-break: break-all; }
      .scroll { overflow: visible; }
    }
    """
}
